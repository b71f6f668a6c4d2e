package io.hawser.agent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The store's own directories: created if missing and set to 0700 explicitly (not through the umask), every start. */
final class StoreDirs {

    private StoreDirs() {}

    /**
     * {@code dir}, created if needed, mode 0700 and not a symlink. Overlay mounts still work: the kernel
     * opens lowerdirs with the mounter's credentials, and a container reaches them only through the mount.
     */
    static Path privateDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symlink; the image store wants a real directory");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }
}
