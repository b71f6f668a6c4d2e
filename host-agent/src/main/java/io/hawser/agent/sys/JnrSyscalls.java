package io.hawser.agent.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * {@link Syscalls} through libc with jnr-ffi. {@code @SaveError} makes jnr capture errno right after
 * each call, before the JVM can overwrite it.
 */
public final class JnrSyscalls implements Syscalls {

    /** The libc functions used; jnr binds them by name. */
    public interface LibC {
        @SaveError
        int mount(String source, String target, String fsType, long flags, String data);

        @SaveError
        int umount2(String target, int flags);

        @SaveError
        int kill(int pid, int signal);

        String strerror(int errno);
    }

    /** Names of errno 1..40 (asm-generic/errno-base.h and errno.h), for messages like "EINVAL (...)". */
    private static final String[] NAMES = {"", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
        "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST",
        "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG",
        "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK",
        "ENOSYS", "ENOTEMPTY", "ELOOP"};

    private final LibC libc;
    private final Runtime runtime;

    public JnrSyscalls() {
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
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

    private SyscallException failure(String operation) {
        int errno = runtime.getLastError();
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : "errno " + errno;
        return new SyscallException(operation, errno, name, libc.strerror(errno));
    }
}
