package io.hawser.agent.storage;

import io.hawser.agent.sys.FileSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@link SpecialFiles} with system calls: nodes are made by mknod(2) with no permission bits and then
 * chmod'ed through an {@code O_PATH} descriptor (fchmodat {@code AT_SYMLINK_NOFOLLOW}), times are set with
 * utimensat {@code AT_SYMLINK_NOFOLLOW}, the opaque marker with lsetxattr(2). Nothing here opens a FIFO or
 * a device, or acts on a symlink's target.
 */
final class SyscallSpecialFiles implements SpecialFiles {

    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final byte[] YES = "y".getBytes(StandardCharsets.US_ASCII);

    private final FileSyscalls fs;

    SyscallSpecialFiles(FileSyscalls fs) {
        this.fs = fs;
    }

    @Override
    public void device(Path path, boolean block, int major, int minor) {
        fs.mknod(path, block ? FileSyscalls.S_IFBLK : FileSyscalls.S_IFCHR, major, minor);
        fs.chmodNoFollow(path, 0600);
    }

    @Override
    public void fifo(Path path) {
        fs.mknod(path, FileSyscalls.S_IFIFO, 0, 0);
        fs.chmodNoFollow(path, 0600);
    }

    @Override
    public void opaque(Path directory) {
        fs.lsetxattr(directory, OPAQUE_XATTR, YES);
    }

    @Override
    public void mode(Path path, int mode) {
        fs.chmodNoFollow(path, mode);
    }

    @Override
    public void mtime(Path path, Instant time) {
        fs.setMtimeNoFollow(path, time.getEpochSecond(), time.getNano());
    }
}
