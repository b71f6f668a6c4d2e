package io.hawser.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupFilesTest {

    @TempDir
    Path tmp;

    @Test
    void readLong_readsMaxAsUnlimited_andClampsUnsigned() throws Exception {
        Files.writeString(tmp.resolve("a"), "max\n");
        Files.writeString(tmp.resolve("b"), "18446744073709551615\n");
        assertThat(CgroupFiles.readLong(tmp.resolve("a"))).isEqualTo(Long.MAX_VALUE);
        assertThat(CgroupFiles.readLong(tmp.resolve("b"))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void read_missingFile_namesFileAndReason() {
        Path missing = tmp.resolve("memory.max");
        assertThatThrownBy(() -> CgroupFiles.read(missing)).isInstanceOf(AgentException.class)
                .hasMessage("read " + missing + " failed: No such file or directory");
    }

    @Test
    void write_intoMissingDirectory_namesValueFileAndReason() {
        Path file = tmp.resolve("gone/pids.max");
        assertThatThrownBy(() -> CgroupFiles.write(file, "32")).isInstanceOf(AgentException.class)
                .hasMessage("write '32' to " + file + " failed: No such file or directory");
    }

    @Test
    void readKeyValues_skipsLinesThatAreNotPairs() throws Exception {
        Files.writeString(tmp.resolve("s"), "anon 10\nfile 20\nnot a pair\n\n");
        assertThat(CgroupFiles.readKeyValues(tmp.resolve("s"))).containsExactly(
                java.util.Map.entry("anon", 10L), java.util.Map.entry("file", 20L));
    }
}
