package io.hawser.agent.sys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * {@link Syscalls} through libc with jnr-ffi. {@code @SaveError} makes jnr capture errno right after
 * each call, before the JVM can overwrite it.
 */
public final class JnrSyscalls implements Syscalls, FileSyscalls {

    /** The libc functions used; jnr binds them by name. */
    public interface LibC {
        @SaveError
        int mount(String source, String target, String fsType, long flags, String data);

        @SaveError
        int umount2(String target, int flags);

        @SaveError
        int kill(int pid, int signal);

        String strerror(int errno);

        @SaveError
        int mknod(@In byte[] path, int mode, long dev);

        @SaveError
        int fchmodat(int dirfd, @In byte[] path, int mode, int flags);

        @SaveError
        int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

        @SaveError
        int lsetxattr(@In byte[] path, @In byte[] name, @In byte[] value, long size, int flags);

        @SaveError
        long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, long size);

        @SaveError
        int openat(int dirfd, @In byte[] path, int flags);

        @SaveError
        long fgetxattr(int fd, @In byte[] name, @Out byte[] value, long size);

        @SaveError
        int close(int fd);
    }

    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;
    /** XATTR_SIZE_MAX (linux/limits.h): no attribute value is larger. */
    private static final int XATTR_MAX = 65536;

    /** Names of errno 1..40 (asm-generic/errno-base.h and errno.h), for messages like "EINVAL (...)". */
    private static final String[] NAMES = {"", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
        "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST",
        "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
        "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK",
        "ENOSYS", "ENOTEMPTY", "ELOOP"};

    private final LibC libc;
    private final Runtime runtime;

    public JnrSyscalls() {
        this.libc = Loaded.LIBC;
        this.runtime = Loaded.RUNTIME;
    }

    /**
     * libc, loaded once per JVM: jnr-ffi's loader does not cache, and each load searched the library
     * directories and generated the binding again (4 to 5 ms measured here, paid by every docker build for
     * its context's {@code SpecialFiles.system()}). The binding is stateless and thread-safe.
     */
    private static final class Loaded {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    @Override
    public void mount(String source, String target, String fsType, long flags, String data) {
        if (libc.mount(source, target, fsType, flags, data) != 0) {
            throw failure("mount " + (fsType != null ? fsType : "(bind)") + " " + source + " on " + target
                    + (data != null ? " with " + data : ""));
        }
    }

    @Override
    public void umount2(String target, int flags) {
        if (libc.umount2(target, flags) != 0) {
            throw failure("umount " + target);
        }
    }

    @Override
    public void kill(int pid, int signal) {
        if (libc.kill(pid, signal) != 0) {
            throw failure("kill " + pid + " with signal " + signal);
        }
    }

    @Override
    public boolean processExists(int pid) {
        if (libc.kill(pid, 0) == 0) {
            return true;
        }
        return runtime.getLastError() == EPERM;
    }

    @Override
    public void mknod(Path path, int type, int major, int minor) {
        if (libc.mknod(cString(path.toString()), type, makedev(major, minor)) != 0) {
            throw failure("mknod " + path + " " + Integer.toOctalString(type) + " " + major + ":" + minor);
        }
    }

    /** glibc's makedev(3) for the 64-bit dev_t. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    @Override
    public void chmodNoFollow(Path path, int mode) {
        if (libc.fchmodat(AT_FDCWD, cString(path.toString()), mode, AT_SYMLINK_NOFOLLOW) != 0) {
            throw failure("chmod " + path + " " + Integer.toOctalString(mode));
        }
    }

    @Override
    public void setMtimeNoFollow(Path path, long epochSecond, int nanos) {
        long[] times = {0, UTIME_OMIT, epochSecond, nanos};
        if (libc.utimensat(AT_FDCWD, cString(path.toString()), times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw failure("set the mtime of " + path);
        }
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) {
        if (libc.lsetxattr(cString(path.toString()), cString(name), value, value.length, 0) != 0) {
            throw failure("lsetxattr " + name + " on " + path);
        }
    }

    @Override
    public Optional<byte[]> lgetxattr(Path path, String name) {
        byte[] buf = new byte[XATTR_MAX];
        long n = libc.lgetxattr(cString(path.toString()), cString(name), buf, buf.length);
        return xattrResult(n, buf, "lgetxattr " + name + " of " + path);
    }

    @Override
    public int openDirectory(int dirFd, String name) {
        int fd = libc.openat(dirFd, cString(name), O_RDONLY_DIRECTORY_NOFOLLOW);
        if (fd < 0) {
            throw failure("open directory " + name + (dirFd == AT_FDCWD ? "" : " below fd " + dirFd));
        }
        return fd;
    }

    private static final int O_RDONLY_DIRECTORY_NOFOLLOW = O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

    @Override
    public Optional<byte[]> fgetxattr(int fd, String name) {
        byte[] buf = new byte[XATTR_MAX];
        long n = libc.fgetxattr(fd, cString(name), buf, buf.length);
        return xattrResult(n, buf, "fgetxattr " + name + " of fd " + fd);
    }

    private Optional<byte[]> xattrResult(long n, byte[] buf, String operation) {
        if (n >= 0) {
            return Optional.of(Arrays.copyOf(buf, (int) n));
        }
        if (runtime.getLastError() == ENODATA) {
            return Optional.empty();
        }
        throw failure(operation);
    }

    @Override
    public void close(int fd) {
        if (libc.close(fd) != 0) {
            throw failure("close fd " + fd);
        }
    }

    /** NUL-terminated UTF-8: names reach the kernel as the bytes an UTF-8 locale would give them. */
    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("NUL byte in a path or name");
            }
        }
        return Arrays.copyOf(b, b.length + 1);
    }

    private SyscallException failure(String operation) {
        int errno = runtime.getLastError();
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : "errno " + errno;
        return new SyscallException(operation, errno, name, libc.strerror(errno));
    }
}
