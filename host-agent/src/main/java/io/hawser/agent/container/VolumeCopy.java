package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * dockerd's copy-up (moby container/container_unix.go CopyImagePathContent): the first time an empty volume
 * is mounted where the image has a directory, that directory's content (modes, owners, times, symlinks as
 * symlinks) is copied into the volume, and the volume's root takes the directory's owner and mode.
 *
 * <p>Safety: the source is the container's own root while it does not run; the path to it is walked with
 * lstat and a symlink anywhere (planted in the image) means no copy (the shim then refuses the mount). The
 * copy is made in a private directory beside {@code _data} (never visible to a container) and its entries
 * are then renamed into {@code _data}: a container already using the volume can never redirect a write of
 * ours through a symlink of its own. Device nodes and FIFOs are not copied.
 */
final class VolumeCopy {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private VolumeCopy() {}

    static void fillIfEmpty(Path root, String destination, Path data) {
        try {
            try (Stream<Path> s = Files.list(data)) {
                if (s.findAny().isPresent()) {
                    return;
                }
            }
            Path src = root;
            for (String part : destination.substring(1).split("/")) {
                src = src.resolve(part);
                try {
                    if (!Files.readAttributes(src, BasicFileAttributes.class, NOFOLLOW).isDirectory()) {
                        return;
                    }
                } catch (NoSuchFileException e) {
                    return;
                }
            }
            Path tmp = data.resolveSibling(".copy-" + UUID.randomUUID());
            try {
                copyTree(src, tmp);
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
                    for (Path e : entries) {
                        try {
                            Files.move(e, data.resolve(e.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
                        } catch (FileAlreadyExistsException taken) {
                            // made meanwhile by a container using the volume: theirs stays
                        }
                    }
                }
                copyOwnerAndMode(src, data);
            } finally {
                Containers.deleteTree(tmp);
            }
        } catch (IOException e) {
            throw AgentException.system("copy the image's " + destination + " into the volume " + data, e);
        }
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectory(dst.resolve(src.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                    Path to = dst.resolve(src.relativize(file).toString());
                    Files.copy(file, to, NOFOLLOW, StandardCopyOption.COPY_ATTRIBUTES);
                    copyOwner(file, to);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Path to = dst.resolve(src.relativize(dir).toString());
                copyOwnerAndMode(dir, to);
                Files.setLastModifiedTime(to, Files.getLastModifiedTime(dir, NOFOLLOW));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copyOwner(Path from, Path to) throws IOException {
        Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid", NOFOLLOW), NOFOLLOW);
        Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid", NOFOLLOW), NOFOLLOW);
    }

    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        copyOwner(from, to);
        PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class, NOFOLLOW);
        Files.setPosixFilePermissions(to, a.permissions());
    }
}
