package io.hawser.agent.image;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.storage.ImportLimits;
import io.hawser.agent.storage.LayerExtractor;
import io.hawser.agent.storage.LimitedInputStream;
import io.hawser.agent.storage.SpecialFiles;
import io.hawser.agent.storage.Tree;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Layers by diff id: {@code layers/<hex>/layer.tar} (the uncompressed tar as imported, for export later)
 * and {@code layers/<hex>/size}, and each layer unpacked once into {@code snapshots/<hex>/}, the
 * read-only directory every image and container using the layer shares (an overlay lowerdir).
 * Work happens under {@code tmp/} and is renamed into place, so a failed import leaves nothing behind;
 * the {@code size} file, written last, marks a complete layer.
 */
final class LayerStore {

    private static final Logger LOG = Logger.getLogger(LayerStore.class.getName());

    /** A layer in the store: its diff id and unpacked content size. */
    record Layer(Digest diffId, long size) {}

    private final Path layers;
    private final Path snapshots;
    private final Path tmp;
    private final LayerExtractor extractor;
    private final ImportLimits limits;

    LayerStore(Path imageRoot, SpecialFiles special, ImportLimits limits) throws IOException {
        this.layers = StoreDirs.privateDir(imageRoot.resolve("layers"));
        this.snapshots = StoreDirs.privateDir(imageRoot.resolve("snapshots"));
        this.tmp = imageRoot.resolve("tmp");
        this.limits = limits;
        this.extractor = new LayerExtractor(special, false, limits);
        Tree.delete(tmp); // leftovers of imports cut short by a crash
        StoreDirs.privateDir(tmp);
        removeIncomplete();
    }

    /** Where work in progress goes (removed at start-up). */
    Path tmp() {
        return tmp;
    }

    Path snapshot(Digest diffId) {
        return snapshots.resolve(diffId.hex());
    }

    boolean has(Digest diffId) {
        return Files.isRegularFile(layers.resolve(diffId.hex()).resolve("size")) && Files.isDirectory(snapshot(diffId));
    }

    long size(Digest diffId) {
        try {
            return Long.parseLong(Files.readString(layers.resolve(diffId.hex()).resolve("size")).trim());
        } catch (IOException | NumberFormatException e) {
            throw AgentException.system("read size of layer " + diffId, e);
        }
    }

    /**
     * Stores a layer from a tar stream, plain or gzip (detected by its magic bytes). Returns the existing
     * layer when one with the same diff id is already stored.
     */
    Layer importTar(InputStream body) throws IOException {
        return importWritten(out -> {
            // The bound applies after gzip, so it also caps the expansion of a small compressed bomb.
            try (InputStream in = new LimitedInputStream(decompressed(body), limits.maxLayerBytes(), "the decompressed layer")) {
                in.transferTo(out);
            }
        });
    }

    /** Writes an uncompressed layer tar (the agent's own: a commit's diff, a build step). */
    interface TarSource {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Stores the layer {@code source} writes: the tar is kept as written (its sha256 is the diff id) and
     * unpacked once, through the same hostile-input extractor as an import, into its snapshot.
     */
    Layer importWritten(TarSource source) throws IOException {
        Path work = Files.createTempDirectory(tmp, "import-");
        try {
            Path layerDir = Files.createDirectory(work.resolve("layer"));
            Path tar = layerDir.resolve("layer.tar");
            MessageDigest md = Digest.sha256();
            try (OutputStream out = new DigestOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tar), 64 * 1024), md)) {
                source.write(out);
            }
            Digest diffId = Digest.of(md);
            synchronized (this) {
                if (has(diffId)) {
                    return new Layer(diffId, size(diffId));
                }
            }
            Path snapshot = Files.createDirectory(work.resolve("snapshot"));
            LayerExtractor.Result result;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 64 * 1024)) {
                result = extractor.extract(in, snapshot);
            }
            Files.writeString(layerDir.resolve("size"), Long.toString(result.size()), StandardCharsets.US_ASCII);
            synchronized (this) {
                if (!has(diffId)) {
                    Tree.delete(snapshot(diffId));
                    Tree.delete(layers.resolve(diffId.hex()));
                    Files.move(snapshot, snapshot(diffId));
                    Files.move(layerDir, layers.resolve(diffId.hex()));
                }
            }
            return new Layer(diffId, result.size());
        } finally {
            Tree.delete(work);
        }
    }

    /** The stored (uncompressed) tar of a layer, for {@code docker save}. */
    Path tarFile(Digest diffId) {
        return layers.resolve(diffId.hex()).resolve("layer.tar");
    }

    synchronized void delete(Digest diffId) throws IOException {
        // The layer record first: a crash in between leaves a snapshot without a layer, removed at start-up.
        Tree.delete(layers.resolve(diffId.hex()));
        Tree.delete(snapshot(diffId));
    }

    private static InputStream decompressed(InputStream body) throws IOException {
        BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 64 * 1024);
        }
        String other = magic.length >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h' ? "bzip2"
                : magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X' ? "xz"
                : magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                        && (magic[3] & 0xff) == 0xfd ? "zstd" : null;
        if (other != null) {
            throw AgentException.invalidArgument("unsupported compression " + other + ": import a plain or gzip-compressed tar");
        }
        return in;
    }

    /** Snapshots whose layer record is missing are the remains of an interrupted import or delete. */
    private void removeIncomplete() throws IOException {
        try (Stream<Path> dirs = Files.list(snapshots)) {
            for (Path dir : dirs.toList()) {
                if (!Files.isRegularFile(layers.resolve(dir.getFileName()).resolve("size"))) {
                    LOG.warning("removing incomplete snapshot " + dir);
                    Tree.delete(dir);
                }
            }
        }
        try (Stream<Path> dirs = Files.list(layers)) {
            for (Path dir : dirs.toList()) {
                if (!Files.isDirectory(snapshots.resolve(dir.getFileName()))) {
                    LOG.warning("removing layer " + dir + ": its snapshot is missing");
                    Tree.delete(dir);
                }
            }
        }
    }
}
