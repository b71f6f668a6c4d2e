package io.hawser.agent.image;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.storage.TarEntry;
import io.hawser.agent.storage.TarReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a {@code docker save} archive, which is hostile input, in one pass without unpacking it anywhere:
 * <ul>
 *   <li>member names are archive paths only: absolute names, {@code ..} and NUL bytes are refused; symlinks
 *       and hardlinks between members (dockerd links a layer shared by two images) are resolved by name
 *       within the archive, never through a file system, and may not climb out of it;</li>
 *   <li>large members (layers) go straight into the layer store through the same extractor as
 *       {@code docker import}, bounded by its limits; small members (configs, manifest.json) are kept in
 *       memory, each at most {@link #MAX_METADATA} bytes, {@link #MAX_METADATA_TOTAL} in all;</li>
 *   <li>each layer's diff id (sha256 of its uncompressed tar) must equal the config's {@code diff_ids} at
 *       that position; the config bytes are stored as they are, so the image id is the same as on the
 *       engine that saved it;</li>
 *   <li>a failure stores no config and removes the layers the load added that no image uses.</li>
 * </ul>
 */
final class ArchiveLoader {

    static final int MAX_METADATA = 8 << 20;
    static final long MAX_METADATA_TOTAL = 64L << 20;
    static final int MAX_MEMBERS = 100_000;
    private static final int MAX_LINK_HOPS = 40;

    private final ImageStore store;
    private final Map<String, byte[]> small = new HashMap<>();
    private final Map<String, Digest> layers = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private long metadataBytes;

    ArchiveLoader(ImageStore store) {
        this.store = store;
    }

    void load(InputStream archive, Consumer<String> progress) throws IOException {
        boolean done = false;
        try {
            read(archive);
            byte[] manifestBytes = member("manifest.json");
            if (manifestBytes == null) {
                throw AgentException.invalidArgument("invalid archive: no manifest.json (archives from docker save hold one)");
            }
            List<ImageArchive.ManifestItem> manifest;
            try {
                manifest = ImageArchive.JSON.readValue(manifestBytes, ImageArchive.MANIFEST);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw AgentException.invalidArgument("invalid manifest.json: " + e.getOriginalMessage());
            }
            List<Runnable> reports = new ArrayList<>();
            for (ImageArchive.ManifestItem item : manifest) {
                ImageId id = loadImage(item);
                List<String> tags = item.repoTags() == null ? List.of() : item.repoTags();
                for (String tag : tags) {
                    ImageReference ref = ImageReference.parse(tag);
                    if (ref.digest() != null) {
                        throw AgentException.invalidArgument("invalid tag " + tag + " in manifest.json: a digest reference");
                    }
                    store.tag(id, ref.withDefaultTag());
                    reports.add(() -> progress.accept("Loaded image: " + ref.withDefaultTag().familiarString() + "\n"));
                }
                if (tags.isEmpty()) {
                    reports.add(() -> progress.accept("Loaded image ID: " + id + "\n"));
                }
            }
            done = true;
            reports.forEach(Runnable::run);
        } finally {
            if (!done) {
                store.deleteUnusedLayers(layers.values());
            }
        }
    }

    private ImageId loadImage(ImageArchive.ManifestItem item) throws IOException {
        if (item.config() == null || item.layers() == null) {
            throw AgentException.invalidArgument("invalid manifest.json: an entry without Config or Layers");
        }
        byte[] config = member(item.config());
        if (config == null) {
            throw AgentException.invalidArgument("invalid archive: the config " + item.config() + " named in manifest.json is missing");
        }
        ImageConfig parsed;
        try {
            parsed = ImageStore.READ.readValue(config, ImageConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
            throw AgentException.invalidArgument("invalid image config " + item.config() + ": " + e.getMessage());
        }
        List<Digest> expected = parsed.diffIds();
        if (expected.size() != item.layers().size()) {
            throw AgentException.invalidArgument("invalid manifest, layers length mismatch: expected " + expected.size()
                    + ", got " + item.layers().size());
        }
        for (int i = 0; i < expected.size(); i++) {
            Digest actual = layer(item.layers().get(i));
            if (!actual.equals(expected.get(i))) {
                throw AgentException.invalidArgument("invalid diffID for layer " + i + ": expected \"" + expected.get(i)
                        + "\", got \"" + actual + "\"");
            }
        }
        return store.addConfig(config);
    }

    private void read(InputStream archive) throws IOException {
        TarReader tar = new TarReader(archive);
        TarEntry e;
        int count = 0;
        while ((e = tar.next()) != null) {
            if (++count > MAX_MEMBERS) {
                throw AgentException.invalidArgument("invalid archive: more than " + MAX_MEMBERS + " members");
            }
            String name = normalize("", e.name(), e.name());
            switch (e.type()) {
                case FILE -> {
                    if (e.size() <= MAX_METADATA && !name.endsWith("layer.tar")) {
                        metadataBytes += e.size();
                        if (metadataBytes > MAX_METADATA_TOTAL) {
                            throw AgentException.invalidArgument("invalid archive: more than " + MAX_METADATA_TOTAL
                                    + " bytes of small members");
                        }
                        small.put(name, tar.content().readAllBytes());
                    } else {
                        Digest diffId = store.importLayer(tar.content());
                        layers.put(name, diffId);
                    }
                }
                case SYMLINK -> links.put(name, normalize(parent(name), e.linkName(), e.name()));
                case HARDLINK -> links.put(name, normalize("", e.linkName(), e.name()));
                case DIRECTORY -> { }
                default -> throw AgentException.invalidArgument("invalid archive: member " + e.name() + " is a "
                        + e.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
        }
    }

    private byte[] member(String path) {
        return small.get(resolve(path));
    }

    private Digest layer(String path) throws IOException {
        String name = resolve(path);
        Digest d = layers.get(name);
        if (d != null) {
            return d;
        }
        byte[] bytes = small.get(name);
        if (bytes == null) {
            throw AgentException.invalidArgument("invalid archive: the layer " + path + " named in manifest.json is missing");
        }
        d = store.importLayer(new ByteArrayInputStream(bytes));
        layers.put(name, d);
        return d;
    }

    /** Follows links between members, by name, at most {@link #MAX_LINK_HOPS} times. */
    private String resolve(String path) {
        String name = normalize("", path, path);
        for (int i = 0; i < MAX_LINK_HOPS; i++) {
            String target = links.get(name);
            if (target == null) {
                return name;
            }
            name = target;
        }
        throw AgentException.invalidArgument("invalid archive: too many levels of links at " + path);
    }

    /**
     * {@code path} relative to the archive directory {@code base}, "." and empty components dropped; an
     * absolute name, a {@code ..} above the archive's root or a NUL byte is refused.
     */
    static String normalize(String base, String path, String member) {
        if (path.indexOf('\0') >= 0) {
            throw AgentException.invalidArgument("invalid archive: member " + member + " has a NUL byte in a name");
        }
        if (path.startsWith("/")) {
            throw AgentException.invalidArgument("invalid archive: member " + member + " has an absolute path " + path);
        }
        List<String> parts = new ArrayList<>();
        for (String p : (base.isEmpty() ? path : base + "/" + path).split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw AgentException.invalidArgument("invalid archive: member " + member + " points outside the archive: " + path);
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    private static String parent(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
