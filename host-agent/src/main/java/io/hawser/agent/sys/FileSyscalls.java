package io.hawser.agent.sys;

import java.nio.file.Path;
import java.util.Optional;

/**
 * File system calls the JDK does not offer, or offers only in a form that follows symlinks or opens the
 * file: on JDK 17 {@code Files.setAttribute(p, "unix:mode", m, NOFOLLOW_LINKS)} and
 * {@code Files.setLastModifiedTime} {@code open(2)} the file first, which blocks forever on a FIFO and
 * opens a device node. Used on hostile trees (image layers, a running container's upper directory), so
 * none of these follows a symlink in the last component or opens the file; callers make sure the
 * components before it are real directories.
 *
 * <p>Paths are passed to the kernel as UTF-8 bytes, whatever the JVM's locale.
 */
public interface FileSyscalls {

    /** File types for {@link #mknod}, from {@code <sys/stat.h>}. */
    int S_IFIFO = 0010000;
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;

    /** {@code AT_FDCWD}: {@link #openDirectory} relative to the working directory (or an absolute name). */
    int AT_FDCWD = -100;

    /** mknod(2) with permission bits 0 (never more than the caller then sets with {@link #chmodNoFollow}). */
    void mknod(Path path, int type, int major, int minor);

    /**
     * fchmodat(2) with {@code AT_SYMLINK_NOFOLLOW}: glibc does it through an {@code O_PATH} descriptor, so
     * the file is never opened; a symlink is refused (EOPNOTSUPP).
     */
    void chmodNoFollow(Path path, int mode);

    /** utimensat(2) with {@code AT_SYMLINK_NOFOLLOW}: the mtime of the path itself; the atime is left alone. */
    void setMtimeNoFollow(Path path, long epochSecond, int nanos);

    /** lsetxattr(2): on the path itself, never on a symlink's target. */
    void lsetxattr(Path path, String name, byte[] value);

    /** lgetxattr(2); empty when the attribute is not set (ENODATA). */
    Optional<byte[]> lgetxattr(Path path, String name);

    /**
     * openat(2) {@code O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC} of one name below {@code dirFd}: fails
     * (ELOOP, ENOTDIR) unless it is a real directory. The caller closes the descriptor.
     */
    int openDirectory(int dirFd, String name);

    /** fgetxattr(2); empty when the attribute is not set. */
    Optional<byte[]> fgetxattr(int fd, String name);

    /** close(2). */
    void close(int fd);

    /** The path through which the JDK can list or stat what {@code fd} refers to (the magic link). */
    static Path procFd(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }
}
