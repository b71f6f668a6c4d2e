package io.hawser.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The no-follow, never-open file calls on the real kernel (as root: mknod and trusted.* xattrs). */
class FileSyscallsIT {

    @TempDir
    Path tmp;

    private final FileSyscalls fs = new JnrSyscalls();

    @Test
    void fifo_getsItsModeAndMtime_withoutBeingOpened() {
        Path fifo = tmp.resolve("p");
        // Opening a FIFO with no writer blocks: the old JDK-based code never returned here.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            fs.mknod(fifo, FileSyscalls.S_IFIFO, 0, 0);
            fs.chmodNoFollow(fifo, 0640);
            fs.setMtimeNoFollow(fifo, 1_700_000_000L, 5);
        });

        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(PosixFilePermissions.toString(permissions(fifo))).isEqualTo("rw-r-----");
        assertThat(mtime(fifo)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 5));
    }

    @Test
    void device_hasTheRequestedNumbers() throws Exception {
        Path dev = tmp.resolve("c");
        fs.mknod(dev, FileSyscalls.S_IFCHR, 1, 3);

        assertThat((Long) Files.getAttribute(dev, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0x103L);
        assertThat(JnrSyscalls.makedev(259, 300_000)).isEqualTo(0x493103E0L); // the kernel's new_encode_dev
    }

    @Test
    void metadataCalls_onASymlink_neverTouchItsTarget() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(target, FileTime.from(Instant.ofEpochSecond(1000)));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);

        assertThatThrownBy(() -> fs.chmodNoFollow(link, 0777)).isInstanceOf(SyscallException.class);
        fs.setMtimeNoFollow(link, 2000, 0);
        fs.lsetxattr(link, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII)); // trusted.* may sit on a symlink
        assertThatThrownBy(() -> fs.openDirectory(FileSyscalls.AT_FDCWD, link.toString())).isInstanceOf(SyscallException.class);

        assertThat(PosixFilePermissions.toString(permissions(target))).isEqualTo("rwxr-xr-x");
        assertThat(mtime(target)).isEqualTo(Instant.ofEpochSecond(1000));
        assertThat(mtime(link)).isEqualTo(Instant.ofEpochSecond(2000));
        assertThat(fs.lgetxattr(target, "trusted.overlay.opaque")).isEmpty();
        assertThat(fs.lgetxattr(link, "trusted.overlay.opaque")).isPresent();
    }

    @Test
    void xattrs_roundTrip_byPathAndByDescriptor() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Path plain = Files.createDirectory(tmp.resolve("plain"));
        fs.lsetxattr(dir, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));

        int fd = fs.openDirectory(FileSyscalls.AT_FDCWD, dir.toString());
        try {
            assertThat(fs.fgetxattr(fd, "trusted.overlay.opaque")).hasValueSatisfying(v -> assertThat(v).containsExactly('y'));
            assertThat(Files.isDirectory(FileSyscalls.procFd(fd))).isTrue();
        } finally {
            fs.close(fd);
        }
        assertThat(fs.lgetxattr(dir, "trusted.overlay.opaque")).hasValueSatisfying(v -> assertThat(v).containsExactly('y'));
        assertThat(fs.lgetxattr(plain, "trusted.overlay.opaque")).isEmpty();
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
