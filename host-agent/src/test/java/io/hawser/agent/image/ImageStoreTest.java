package io.hawser.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import io.hawser.agent.events.Event;
import io.hawser.agent.storage.SpecialFiles;
import io.hawser.agent.storage.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {

    @TempDir
    Path dataRoot;

    private final List<Event> events = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC);

    /** No test here creates device nodes or opaque dirs; fail loudly if one tries. */
    private static final SpecialFiles NONE = new SpecialFiles() {
        @Override
        public void device(Path path, boolean block, int major, int minor) {
            throw new AssertionError("device " + path);
        }

        @Override
        public void fifo(Path path) {
            throw new AssertionError("fifo " + path);
        }

        @Override
        public void opaque(Path directory) {
            throw new AssertionError("opaque " + directory);
        }
    };

    private ImageStore open() {
        return ImageStore.open(dataRoot, NONE, events::add, clock);
    }

    private static byte[] layer(String content) {
        return new TarWriter().directory("bin", 0755).file("bin/tool", 0755, content.getBytes(StandardCharsets.UTF_8))
                .symlink("bin/sh", "tool").finish();
    }

    private static ImageStore.ImportRequest request(String tag, String... changes) {
        return new ImageStore.ImportRequest(tag == null ? null : ImageReference.parse(tag), "Imported from -", List.of(changes), "amd64");
    }

    @Test
    void storeDirectories_arePrivateToRoot_whateverTheUmask() throws IOException {
        Files.createDirectories(dataRoot.resolve("image/snapshots"));
        Files.setPosixFilePermissions(dataRoot.resolve("image/snapshots"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        open();

        for (String d : new String[] {"image", "image/snapshots", "image/layers", "image/content", "image/tmp"}) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dataRoot.resolve(d))))
                    .as(d).isEqualTo("rwx------");
        }
    }

    @Test
    void import_gzipBomb_isStoppedAtTheLayerSizeLimit() throws IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(new TarWriter().file("zeros", 0644, new byte[4 << 20]).finish());
        }
        ImageStore store = ImageStore.open(dataRoot, NONE, new io.hawser.agent.storage.ImportLimits(1 << 20, 100), events::add, clock);

        assertThatThrownBy(() -> store.importImage(new ByteArrayInputStream(gz.toByteArray()), request("bomb:1")))
                .isInstanceOf(io.hawser.agent.common.AgentException.class)
                .hasMessage("the decompressed layer is larger than the 1048576 bytes allowed");
        try (var left = Files.list(dataRoot.resolve("image/tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void import_storesConfigLayerAndSnapshotThenReloads() throws IOException {
        byte[] tar = layer("v1");
        Image image = open().importImage(new ByteArrayInputStream(tar), request("bb:1", "CMD [\"sh\"]"));

        Digest diffId = Digest.of(tar);
        assertThat(image.config().rootfs().diffIds()).containsExactly(diffId.toString());
        Path config = dataRoot.resolve("image/content/sha256/" + image.id().digest().hex());
        assertThat(Digest.of(Files.readAllBytes(config))).isEqualTo(image.id().digest());
        assertThat(dataRoot.resolve("image/layers/" + diffId.hex() + "/layer.tar")).hasBinaryContent(tar);
        assertThat(image.size()).isEqualTo(2);
        assertThat(image.created()).isEqualTo(clock.instant());
        assertThat(image.config().config().cmd()).containsExactly("sh");
        assertThat(image.config().history()).hasSize(1);
        assertThat(events).extracting(Event::action).containsExactly("tag", "import");
        assertThat(events.get(0).attributes()).containsEntry("name", "bb:1");

        ImageStore reopened = open();
        Image again = reopened.get("bb:1");
        assertThat(again.id()).isEqualTo(image.id());
        assertThat(again.repoTags()).extracting(ImageReference::familiarString).containsExactly("bb:1");
        assertThat(reopened.snapshotDirs(image.id())).containsExactly(dataRoot.resolve("image/snapshots/" + diffId.hex()));
        assertThat(reopened.snapshotDirs(image.id()).get(0).resolve("bin/tool")).hasContent("v1");
        assertThat(reopened.get(image.id().shortId()).id()).isEqualTo(image.id());
        assertThat(reopened.get(image.id().digest().hex()).id()).isEqualTo(image.id());
    }

    @Test
    void import_gzipGivesTheSameDiffIdAsPlain() throws IOException {
        byte[] tar = layer("gz");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        Image image = open().importImage(new ByteArrayInputStream(gz.toByteArray()), request(null));
        assertThat(image.config().rootfs().diffIds()).containsExactly(Digest.of(tar).toString());
        assertThat(image.dangling()).isTrue();
    }

    @Test
    void import_refusedLayerLeavesNothingBehind() throws IOException {
        ImageStore store = open();
        byte[] evil = new TarWriter().file("../x", 0644, new byte[1]).finish();
        assertThatThrownBy(() -> store.importImage(new ByteArrayInputStream(evil), request("evil:1")))
                .hasMessage("refusing tar entry '../x': path escapes the layer");
        try (var s = Files.list(dataRoot.resolve("image/tmp"))) {
            assertThat(s).isEmpty();
        }
        try (var s = Files.list(dataRoot.resolve("image/snapshots"))) {
            assertThat(s).isEmpty();
        }
        assertThat(store.list()).isEmpty();
        assertThat(dataRoot.resolve("x")).doesNotExist();
    }

    @Test
    void get_missingImageIsDockerds404() {
        assertThatThrownBy(() -> open().get("nope")).isInstanceOf(AgentException.class)
                .hasMessage("No such image: nope:latest")
                .satisfies(e -> assertThat(((AgentException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void layers_areSharedAndDeletedWithTheLastImage() throws IOException {
        ImageStore store = open();
        byte[] tar = layer("shared");
        Image a = store.importImage(new ByteArrayInputStream(tar), request("a:1", "CMD [\"a\"]"));
        Image b = store.importImage(new ByteArrayInputStream(tar), request("b:1", "CMD [\"b\"]"));
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(store.snapshotDirs(a.id())).isEqualTo(store.snapshotDirs(b.id()));

        ImageRemoval removal = new ImageRemoval(store, ImageUsage.NONE);
        assertThat(removal.delete("a:1", false)).containsExactly(
                new ImageRemoval.Record("a:1", null), new ImageRemoval.Record(null, a.id().toString()));
        assertThat(store.snapshotDirs(b.id()).get(0)).isDirectory();
        Path snapshot = store.snapshotDirs(b.id()).get(0);
        assertThat(removal.delete("b:1", false)).containsExactly(new ImageRemoval.Record("b:1", null),
                new ImageRemoval.Record(null, b.id().toString()), new ImageRemoval.Record(null, Digest.of(tar).toString()));
        assertThat(snapshot).doesNotExist();
        assertThat(dataRoot.resolve("image/layers/" + Digest.of(tar).hex())).doesNotExist();
    }

    @Test
    void delete_followsDockerdsConflictRules() throws IOException {
        ImageStore store = open();
        Image img = store.importImage(new ByteArrayInputStream(layer("c")), request("c:1"));
        store.tag("c:1", ImageReference.parse("c:2"));
        String ctr = "f".repeat(64);
        String shortId = img.id().shortId();

        assertThatThrownBy(() -> new ImageRemoval(store, id -> List.of()).delete(shortId, false))
                .hasMessage("conflict: unable to delete " + shortId + " (must be forced) - image is referenced in multiple repositories");
        ImageRemoval running = new ImageRemoval(store, id -> List.of(new ImageUsage.User(ctr, true)));
        assertThat(running.delete("c:2", false)).containsExactly(new ImageRemoval.Record("c:2", null));
        assertThatThrownBy(() -> running.delete("c:1", false))
                .hasMessage("conflict: unable to remove repository reference \"c:1\" (must force) - container ffffffffffff is using its referenced image " + shortId);
        assertThatThrownBy(() -> running.delete(shortId, true))
                .hasMessage("conflict: unable to delete " + shortId + " (cannot be forced) - image is being used by running container ffffffffffff");

        ImageRemoval stopped = new ImageRemoval(store, id -> List.of(new ImageUsage.User(ctr, false)));
        assertThatThrownBy(() -> stopped.delete(shortId, false))
                .hasMessage("conflict: unable to delete " + shortId + " (must be forced) - image is being used by stopped container ffffffffffff");
        assertThat(stopped.delete(shortId, true)).containsExactly(
                new ImageRemoval.Record("c:1", null), new ImageRemoval.Record(null, img.id().toString()));
        // A stopped container still needs the layer: kept for it.
        assertThat(dataRoot.resolve("image/snapshots").toFile().list()).hasSize(1);
        assertThat(events).extracting(Event::action).endsWith("untag", "delete");
    }
}
