package io.hawser.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShimBinaryTest {

    private static final byte[] V1 = "#!/bin/sh\necho v1\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] V2 = "#!/bin/sh\necho v2\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path bin;

    @Test
    void install_writesTheBinaryWithMode0755() throws IOException {
        ShimBinary.Installed installed = ShimBinary.install(bin, V1);
        assertThat(installed.rewritten()).isTrue();
        assertThat(installed.path()).isEqualTo(bin.resolve("hawser-shim")).hasBinaryContent(V1);
        assertThat(Files.getPosixFilePermissions(installed.path())).isEqualTo(ShimBinary.MODE_0755);
        assertThat(installed.sha256()).hasSize(64).isEqualTo(ShimBinary.sha256(V1));
        assertNoTempFilesLeft();
    }

    @Test
    void install_sameContent_leavesTheFileAlone() throws IOException {
        Path path = ShimBinary.install(bin, V1).path();
        Object inode = Files.readAttributes(path, "unix:ino").get("ino");
        Files.setLastModifiedTime(path, FileTime.fromMillis(0));

        ShimBinary.Installed again = ShimBinary.install(bin, V1);

        assertThat(again.rewritten()).isFalse();
        assertThat(Files.getLastModifiedTime(path).toMillis()).isZero();
        assertThat(Files.readAttributes(path, "unix:ino").get("ino")).isEqualTo(inode);
    }

    @Test
    void install_sameContentWrongMode_onlyRepairsTheMode() throws IOException {
        Path path = ShimBinary.install(bin, V1).path();
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        assertThat(ShimBinary.install(bin, V1).rewritten()).isFalse();
        assertThat(Files.getPosixFilePermissions(path)).isEqualTo(ShimBinary.MODE_0755);
    }

    @Test
    void install_differentContent_replacesTheFileByRename() throws IOException {
        Path path = ShimBinary.install(bin, V1).path();
        Object oldInode = Files.readAttributes(path, "unix:ino").get("ino");

        ShimBinary.Installed updated = ShimBinary.install(bin, V2);

        assertThat(updated.rewritten()).isTrue();
        assertThat(path).hasBinaryContent(V2);
        // A new inode: a shim still executing the old file keeps it.
        assertThat(Files.readAttributes(path, "unix:ino").get("ino")).isNotEqualTo(oldInode);
        assertNoTempFilesLeft();
    }

    @Test
    void install_createsTheBinFolder() {
        Path nested = bin.resolve("data/bin");
        assertThat(ShimBinary.install(nested, V1).path()).exists();
    }

    private void assertNoTempFilesLeft() throws IOException {
        try (Stream<Path> files = Files.list(bin)) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("hawser-shim");
        }
    }
}
