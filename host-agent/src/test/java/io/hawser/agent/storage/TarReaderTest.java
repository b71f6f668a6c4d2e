package io.hawser.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TarReaderTest {

    @Test
    void next_readsEntriesAndContentThenNull() throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(new TarWriter()
                .file("a.txt", 0640, "hello".getBytes(StandardCharsets.UTF_8))
                .symlink("l", "a.txt")
                .finish()));
        TarEntry a = r.next();
        assertThat(a.name()).isEqualTo("a.txt");
        assertThat(a.type()).isEqualTo(TarEntry.Type.FILE);
        assertThat(a.mode()).isEqualTo(0640);
        assertThat(a.size()).isEqualTo(5);
        assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        TarEntry l = r.next();
        assertThat(l.type()).isEqualTo(TarEntry.Type.SYMLINK);
        assertThat(l.linkName()).isEqualTo("a.txt");
        assertThat(r.next()).isNull();
    }

    @Test
    void next_skipsUnreadContent() throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(new TarWriter()
                .file("big", 0644, new byte[1500]).file("small", 0644, new byte[1]).finish()));
        r.next();
        assertThat(r.next().name()).isEqualTo("small");
    }

    @Test
    void next_appliesPaxSizeAndPath() throws IOException {
        byte[] tar = new TarWriter().paxHeader("x", "size", "3").header("n", '0', "", 0644, 0, 0, 0)
                .raw(Arrays.copyOf("abc".getBytes(StandardCharsets.UTF_8), 512)).finish();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        assertThat(r.next().size()).isEqualTo(3);
        assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(r.next()).isNull();
    }

    @Test
    void next_rejectsBadChecksum() {
        byte[] tar = new TarWriter().file("a", 0644, new byte[0]).finish();
        tar[0] = 'b';
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar)).next())
                .isInstanceOf(AgentException.class).hasMessageContaining("checksum mismatch");
    }

    @Test
    void next_rejectsTruncatedArchives() throws IOException {
        byte[] full = new TarWriter().file("a", 0644, new byte[100]).finish();
        TarReader r = new TarReader(new ByteArrayInputStream(Arrays.copyOf(full, 600)));
        r.next();
        assertThatThrownBy(() -> r.content().readAllBytes()).hasMessageContaining("truncated");
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(new byte[0])).next())
                .hasMessageContaining("without its end-of-archive");
    }

    @Test
    void next_boundsExtensionRecords() {
        byte[] tar = new TarWriter().header("././@LongLink", 'L', "", 0644, 10L << 20, 0, 0).finish();
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar)).next())
                .hasMessageContaining("GNU long name of 10485760 bytes is larger than");
    }

    @Test
    void next_rejectsUnsupportedTypes() {
        byte[] tar = new TarWriter().header("sparse", 'S', "", 0644, 0, 0, 0).finish();
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar)).next())
                .hasMessage("tar entry 'sparse' has unsupported type 'S'");
    }
}
