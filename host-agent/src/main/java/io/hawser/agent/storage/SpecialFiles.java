package io.hawser.agent.storage;

import java.nio.file.Path;

/**
 * What the JDK cannot create: device nodes (and so overlay whiteouts), FIFOs, and the
 * {@code trusted.overlay.opaque} xattr (the JDK writes only {@code user.*} xattrs). One interface so
 * extraction is testable and a syscall-based implementation can replace {@link CommandSpecialFiles}.
 */
public interface SpecialFiles {

    /** {@code mknod path c|b major minor}; the node is created with mode 0600, the caller sets the rest. */
    void device(Path path, boolean block, int major, int minor);

    void fifo(Path path);

    /** An overlayfs whiteout: a character device 0/0 hides the same name in lower layers. */
    default void whiteout(Path path) {
        device(path, false, 0, 0);
    }

    /** Marks a directory opaque for overlayfs: {@code trusted.overlay.opaque=y} hides lower layers' content. */
    void opaque(Path directory);

    /**
     * @see <a href="https://docs.kernel.org/filesystems/overlayfs.html#whiteouts-and-opaque-directories">overlayfs whiteouts</a>
     */
    static SpecialFiles commands() {
        return new CommandSpecialFiles();
    }
}
