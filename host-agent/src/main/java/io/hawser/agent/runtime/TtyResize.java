package io.hawser.agent.runtime;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.sys.SyscallException;
import io.hawser.agent.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sets the window size of a container's or an exec's pseudo-terminal, which the shim holds the master of
 * (see tty.c for why a file and SIGWINCH): writes {@code "<rows> <cols>\n"} into the size file in place
 * (an exec's shim keeps it open from before it joined the container's mount namespace, so the file must
 * keep its inode), then sends SIGWINCH to the shim, which applies it with TIOCSWINSZ.
 */
public final class TtyResize {

    /** SIGWINCH on Linux (signal(7)). */
    static final int SIGWINCH = 28;
    /** The run shim's size file, in the container's state directory (WINSIZE_FILE in shim.h). */
    public static final String FILE_NAME = "winsize";

    private TtyResize() {}

    /** docker resize of a container started with a TTY. */
    public static void resize(ShimProcess container, Syscalls syscalls, int rows, int cols) {
        apply(container.stateDir().resolve(FILE_NAME), container.shimPid(), syscalls, rows, cols);
    }

    /** @param shimPid the {@code hawser-shim exec} process relaying the terminal */
    public static void apply(Path sizeFile, long shimPid, Syscalls syscalls, int rows, int cols) {
        check(rows, cols);
        write(sizeFile, rows, cols);
        try {
            syscalls.kill((int) shimPid, SIGWINCH);
        } catch (SyscallException e) {
            if (e.errno() != Syscalls.ESRCH) { // gone: nothing to resize any more
                throw e;
            }
        }
    }

    /** Writes the size file (0600, never through a symlink): before the exec starts it is the initial size. */
    public static void write(Path sizeFile, int rows, int cols) {
        check(rows, cols);
        if (Files.isSymbolicLink(sizeFile)) {
            throw AgentException.system("refusing to write the terminal size through a symlink: " + sizeFile);
        }
        try {
            if (!Files.exists(sizeFile, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(sizeFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
            // one write(2) of a few bytes after the truncation: the shim reads a whole line or nothing
            Files.write(sizeFile, (rows + " " + cols + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw AgentException.system("write the terminal size to " + sizeFile, e);
        }
    }

    /** dockerd passes h and w as uint16 to the runtime; the CLI sends 0x0 when it knows no size. */
    private static void check(int rows, int cols) {
        if (rows < 0 || cols < 0 || rows > 0xffff || cols > 0xffff) {
            throw AgentException.invalidArgument("invalid terminal size " + rows + "x" + cols);
        }
    }
}
