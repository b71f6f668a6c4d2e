package io.hawser.agent.volume;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The volumes on disk: {@code <root>/<name>/volume.json} and {@code <root>/<name>/_data}. A volume appears
 * whole or not at all: it is made as {@code .tmp-*} and renamed into place (rename(2) of a directory onto an
 * existing non-empty one fails, so two creators of one name cannot both win); removal renames it to
 * {@code .trash-*} first. Start-up deletes what a crash left of either.
 */
final class VolumeFiles {

    private static final Logger LOG = Logger.getLogger(VolumeFiles.class.getName());
    static final String META = "volume.json";
    static final String DATA = "_data";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    VolumeFiles(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            // the volumes' content is the containers' data: not for the host's other users to list or read
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            try (Stream<Path> s = Files.list(root)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw AgentException.system("prepare the volumes directory " + root, e);
        }
    }

    Path dataDir(String name) {
        return root.resolve(name).resolve(DATA);
    }

    List<Volume> loadAll() {
        List<Volume> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path dir : s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                try {
                    Volume v = JSON.readValue(dir.resolve(META).toFile(), Volume.class);
                    all.add(new Volume(dir.getFileName().toString(), v.createdAt(), v.labels(), v.anonymous()));
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "skipping volume " + dir + ": unreadable " + META, e);
                }
            }
        } catch (IOException e) {
            throw AgentException.system("list " + root, e);
        }
        return all;
    }

    /** Creates the volume's directory; empty when another one of that name appeared meanwhile. */
    Optional<Volume> create(Volume v) {
        Path tmp = root.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp.resolve(DATA));
            // moby volume/local: the data directory is created 0755 owned by root, whatever the umask
            Files.setPosixFilePermissions(tmp.resolve(DATA), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.write(tmp.resolve(META), JSON.writeValueAsBytes(v));
            try {
                Files.move(tmp, root.resolve(v.name()), StandardCopyOption.ATOMIC_MOVE);
                return Optional.of(v);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                deleteTree(tmp);
                return Optional.empty();
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw AgentException.system("create volume " + v.name(), e);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw AgentException.system("create volume " + v.name(), e);
        }
    }

    /** Takes the volume out of place at once, then deletes its content. */
    void delete(String name) {
        Path trash = root.resolve(".trash-" + UUID.randomUUID());
        try {
            Files.move(root.resolve(name), trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw AgentException.system("remove volume " + name, e);
        }
        deleteQuietly(trash);
    }

    /** Bytes in regular files below the volume's data, symlinks not followed. */
    long size(String name) {
        long[] total = {0};
        try {
            Files.walkFileTree(dataDir(name), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.isRegularFile() ? attrs.size() : 0;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return total[0];
        }
        return total[0];
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + dir, e);
        }
    }

    /** Deletes a tree without following symlinks (walkFileTree does not by default). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
