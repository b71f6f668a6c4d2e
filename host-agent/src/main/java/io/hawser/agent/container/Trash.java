package io.hawser.agent.container;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deleting a removed container's directories after the removal has answered: {@link #discard} renames a
 * directory to {@code <name>.removing} (one atomic rename(2): the record inside it is gone from the agent's
 * view at once, and no reader ever sees half a directory) and deletes it on a background thread. Deleting
 * even an empty container's tree took 2 to 24 ms under load, all of it on {@code docker run --rm}'s path
 * (bench/README.md, "Agent latency"). What a crash leaves behind is deleted by {@link #sweep} at start-up.
 */
final class Trash {

    private static final Logger LOG = Logger.getLogger(Trash.class.getName());
    static final String SUFFIX = ".removing";

    private final Executor background;

    Trash(Executor background) {
        this.background = background;
    }

    /** Moves {@code dir} aside and deletes it later; deletes it now when it cannot be moved. */
    void discard(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path aside = dir.resolveSibling(dir.getFileName() + SUFFIX);
        try {
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Containers.deleteTree(dir); // e.g. a leftover of the same name still there
            return;
        }
        background.execute(() -> deleteQuietly(aside));
    }

    /** Deletes what earlier {@link #discard} calls left in {@code parent} (the agent stopped before). */
    void sweep(Path parent) {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(parent, "*" + SUFFIX)) {
            for (Path p : leftovers) {
                background.execute(() -> deleteQuietly(p));
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + parent + " for removed containers' leftovers", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Containers.deleteTree(p);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot delete " + p + " of a removed container", e);
        }
    }
}
