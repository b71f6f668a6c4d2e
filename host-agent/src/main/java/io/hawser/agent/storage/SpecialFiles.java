package io.hawser.agent.storage;

import io.hawser.agent.sys.JnrSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * What the JDK cannot do safely on a hostile tree: device nodes (and so overlay whiteouts), FIFOs, the
 * {@code trusted.overlay.opaque} xattr (the JDK writes only {@code user.*} xattrs), and a mode or mtime
 * set without opening the file (JDK 17 opens it, which blocks forever on a FIFO and opens a device) and
 * without following a symlink. One interface so extraction is testable without root.
 */
public interface SpecialFiles {

    /** {@code mknod path c|b major minor}; the node is created with mode 0600, the caller sets the rest. */
    void device(Path path, boolean block, int major, int minor);

    /** A FIFO with mode 0600; the caller sets the rest. */
    void fifo(Path path);

    /** An overlayfs whiteout: a character device 0/0 hides the same name in lower layers. */
    default void whiteout(Path path) {
        device(path, false, 0, 0);
    }

    /**
     * Marks a directory opaque for overlayfs: {@code trusted.overlay.opaque=y} hides lower layers' content.
     * Set on the path itself (never through a symlink in its last component); the caller has checked that
     * the components before it are real directories.
     */
    void opaque(Path directory);

    /**
     * The permission bits (setuid, setgid and sticky included) of a file that is not a symlink. The default,
     * for test doubles whose special files are plain files, goes through the JDK.
     */
    default void mode(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }

    /** The modification time of the path itself (a symlink's own). Default: the JDK, as for {@link #mode}. */
    default void mtime(Path path, Instant time) throws IOException {
        Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(time), null, null);
    }

    /**
     * The real implementation: system calls that never open the file nor follow a symlink.
     *
     * @see <a href="https://docs.kernel.org/filesystems/overlayfs.html#whiteouts-and-opaque-directories">overlayfs whiteouts</a>
     */
    static SpecialFiles system() {
        return new SyscallSpecialFiles(new JnrSyscalls());
    }

    /** @deprecated the commands (mknod, tar -C) followed symlinks and opened FIFOs; this is {@link #system()} */
    @Deprecated
    static SpecialFiles commands() {
        return system();
    }
}
