package io.hawser.agent.sys;

/**
 * The system calls the agent makes itself (everything that needs a fresh single-threaded process is in
 * hawser-shim instead). {@link JnrSyscalls} is the real one and the only place jnr-ffi types appear;
 * tests use a recording fake to check sequencing without a kernel.
 *
 * <p>Every method throws {@link SyscallException} (an {@code AgentException} carrying the errno) on
 * failure, with a message naming the call, its arguments and the errno.
 */
public interface Syscalls {

    /** mount(2) flags, values from {@code <sys/mount.h>}. */
    long MS_RDONLY = 1;
    long MS_NOSUID = 2;
    long MS_NODEV = 4;
    long MS_NOEXEC = 8;
    long MS_REMOUNT = 32;
    long MS_BIND = 4096;
    long MS_REC = 16384;
    long MS_PRIVATE = 1 << 18;

    /** umount2(2) flag: detach now, clean up when no longer busy. */
    int MNT_DETACH = 2;

    /** errno values the callers act on, from {@code <errno.h>}. */
    int EPERM = 1;
    int ENOENT = 2;
    int ESRCH = 3;
    int EACCES = 13;
    int EBUSY = 16;
    int EINVAL = 22;

    /** mount(2); {@code source} and {@code data} may be null. */
    void mount(String source, String target, String fsType, long flags, String data);

    /** umount2(2). */
    void umount2(String target, int flags);

    /** kill(2): sends {@code signal} to {@code pid} (host pid namespace). */
    void kill(int pid, int signal);

    /** kill(2) with signal 0: whether {@code pid} exists (EPERM counts as existing). */
    boolean processExists(int pid);
}
