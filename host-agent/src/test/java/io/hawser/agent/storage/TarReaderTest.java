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
                .hasMessageContaining("the extension headers before one entry exceed the 1048576 bytes allowed");
    }

    @Test
    void next_rejectsUnsupportedTypes() {
        byte[] tar = new TarWriter().header("sparse", 'S', "", 0644, 0, 0, 0).finish();
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar)).next())
                .hasMessage("tar entry 'sparse' has unsupported type 'S'");
    }

    @Test
    void manySmallPaxHeaders_beyondTheTotalBound_areRefusedBeforeTheyFillTheHeap() {
        TarWriter w = new TarWriter();
        String big = "a".repeat(300_000);
        for (int i = 0; i < 4; i++) { // each alone is under the 1 MiB bound; together they are not
            w.paxHeader("f", "k" + i, big);
        }
        byte[] tar = w.file("f", 0644, new byte[0]).finish();

        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar)).next())
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("extension headers before one entry exceed");
    }

    @Test
    void unknownPaxKeys_areDropped_knownOnesApply() throws IOException {
        TarEntry e = new TarReader(new ByteArrayInputStream(new TarWriter()
                .paxHeader("f", "SCHILY.xattr.user.x", "v").paxHeader("f", "path", "long/name")
                .file("f", 0644, new byte[0]).finish())).next();

        assertThat(e.name()).isEqualTo("long/name");
    }

    @Test
    void paxTime_isParsedWithABoundedGrammar() {
        assertThat(TarReader.paxTime("1700000000")).isEqualTo(java.time.Instant.ofEpochSecond(1_700_000_000L));
        assertThat(TarReader.paxTime("1700000000.5")).isEqualTo(java.time.Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
        assertThat(TarReader.paxTime("1.000000001")).isEqualTo(java.time.Instant.ofEpochSecond(1, 1));
        assertThat(TarReader.paxTime("-1.5")).isEqualTo(java.time.Instant.ofEpochSecond(-2, 500_000_000));
        // 1e10000000 used to pin a CPU for minutes in BigDecimal.remainder; now refused at once.
        for (String bad : new String[] {"1e10000000", "1E5", "+5", "1.", ".5", "1.0000000001", "", "12 ", "9".repeat(30)}) {
            assertThatThrownBy(() -> TarReader.paxTime(bad)).as(bad).isInstanceOf(AgentException.class)
                    .hasMessageContaining("is not a time");
        }
    }

    @Test
    void paxNumbers_mustBePlainDigits() {
        byte[] tar = new TarWriter().paxHeader("f", "uid", "1e3").file("f", 0644, new byte[0]).finish();

        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar)).next())
                .isInstanceOf(AgentException.class).hasMessageContaining("uid is not a number");
    }
}
