package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrashTest {

    @TempDir
    Path root;

    /** Runs queued deletions when the test says so: shows what is there before and after. */
    private final List<Runnable> queued = new ArrayList<>();
    private final Trash trash = new Trash(queued::add);

    private void runQueued() {
        List.copyOf(queued).forEach(Runnable::run);
        queued.clear();
    }

    @Test
    void discard_movesAsideAtOnce_deletesLater() throws Exception {
        Path dir = root.resolve("abc");
        Files.createDirectories(dir.resolve("diff/etc"));
        Files.writeString(dir.resolve("config.v2.json"), "{}");

        trash.discard(dir);

        assertThat(dir).doesNotExist();
        assertThat(root.resolve("abc" + Trash.SUFFIX).resolve("config.v2.json")).exists();
        runQueued();
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void discard_missingDirectory_isNothing() {
        trash.discard(root.resolve("gone"));
        assertThat(queued).isEmpty();
    }

    @Test
    void discard_nameTakenByALeftover_deletesAtOnce() throws Exception {
        Path dir = root.resolve("abc");
        Files.createDirectories(dir.resolve("x"));
        Files.createDirectories(root.resolve("abc" + Trash.SUFFIX).resolve("y"));

        trash.discard(dir);

        assertThat(dir).doesNotExist();
        assertThat(queued).isEmpty();
    }

    @Test
    void sweep_deletesOnlyLeftovers() throws Exception {
        Files.createDirectories(root.resolve("a" + Trash.SUFFIX).resolve("diff"));
        Files.createDirectories(root.resolve("b"));

        trash.sweep(root);
        runQueued();

        assertThat(root.resolve("a" + Trash.SUFFIX)).doesNotExist();
        assertThat(root.resolve("b")).isDirectory();
    }
}
