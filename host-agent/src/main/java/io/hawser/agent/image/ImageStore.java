package io.hawser.agent.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.events.Event;
import io.hawser.agent.events.EventSink;
import io.hawser.agent.storage.ImportLimits;
import io.hawser.agent.storage.SpecialFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The content-addressed image store under {@code <data-root>/image/}: configs in
 * {@code content/sha256/<id>} (the id is the sha256 of those bytes), layers and snapshots in
 * {@link LayerStore}, tags in {@code repositories.json}. Everything is reloaded from disk on start.
 * Publishes image events (import, tag, untag, delete) with dockerd's actor id and {@code name} attribute.
 */
public final class ImageStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Configs written by other engines (docker load) carry fields the agent does not model: kept in the bytes, ignored here. */
    static final ObjectMapper READ = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * What {@code POST /images/create?fromSrc=-} asks for.
     *
     * @param tag the reference to tag the new image with, or null
     * @param comment the history comment and {@code Comment} (dockerd: the message, else "Imported from -")
     * @param changes Dockerfile instructions for the config, see {@link ConfigChanges}
     */
    public record ImportRequest(ImageReference tag, String comment, List<String> changes, String architecture) {
        public ImportRequest {
            changes = List.copyOf(changes);
        }
    }

    private final Path content;
    private final LayerStore layers;
    private final ReferenceIndex refs;
    private final EventSink events;
    private final Clock clock;
    private final Map<ImageId, ImageConfig> configs = new HashMap<>();

    private ImageStore(Path root, SpecialFiles special, ImportLimits limits, EventSink events, Clock clock) throws IOException {
        StoreDirs.privateDir(root);
        this.content = Files.createDirectories(StoreDirs.privateDir(root.resolve("content")).resolve("sha256"));
        this.layers = new LayerStore(root, special, limits);
        this.refs = ReferenceIndex.load(root.resolve("repositories.json"));
        this.events = events;
        this.clock = clock;
        try (Stream<Path> files = Files.list(content)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                ImageId id = new ImageId(Digest.of(bytes));
                if (!id.digest().hex().equals(f.getFileName().toString())) {
                    throw AgentException.system("image config " + f + " does not match its digest " + id);
                }
                configs.put(id, READ.readValue(bytes, ImageConfig.class));
            }
        }
    }

    /** Opens (creating if needed) the store under {@code <dataRoot>/image}, with the default import limits. */
    public static ImageStore open(Path dataRoot, SpecialFiles special, EventSink events, Clock clock) {
        return open(dataRoot, special, ImportLimits.DEFAULT, events, clock);
    }

    /**
     * Opens (creating if needed) the store under {@code <dataRoot>/image}, mode 0700 (as moby made
     * /var/lib/docker for CVE-2021-41091): snapshots hold images' setuid binaries and world-writable
     * directories, which no other local user may reach.
     */
    public static ImageStore open(Path dataRoot, SpecialFiles special, ImportLimits limits, EventSink events, Clock clock) {
        try {
            return new ImageStore(dataRoot.resolve("image"), special, limits, events, clock);
        } catch (IOException e) {
            throw AgentException.system("open image store under " + dataRoot.resolve("image"), e);
        }
    }

    /** {@code docker import}: one layer from {@code tar} (plain or gzip), a new config, and the tag if any. */
    public Image importImage(InputStream tar, ImportRequest request) throws IOException {
        LayerStore.Layer layer = layers.importTar(tar);
        String now = clock.instant().toString();
        ImageConfig config = new ImageConfig(request.architecture(), "linux", now, null, request.comment(), null,
                ConfigChanges.apply(ImageConfig.RunConfig.EMPTY, request.changes()),
                new ImageConfig.RootFs("layers", List.of(layer.diffId().toString())),
                List.of(new ImageConfig.History(now, null, request.comment(), null)));
        byte[] bytes = JSON.writeValueAsBytes(config);
        ImageId id = new ImageId(Digest.of(bytes));
        synchronized (this) {
            if (!configs.containsKey(id)) {
                AtomicFiles.write(content.resolve(id.digest().hex()), bytes);
                configs.put(id, config);
            }
        }
        if (request.tag() != null) {
            tag(id, request.tag());
        }
        publish("import", id, id.toString());
        return get(id.toString());
    }

    /**
     * A new image on top of {@code parent} (null: from scratch), as {@code docker commit} and each build step
     * make one.
     *
     * @param parent the image id or name the new one extends, or null
     * @param config the new image's run config (the caller has merged the parent's and applied changes)
     * @param createdBy the history entry's {@code created_by} (commit: the container's command; build: the step)
     * @param tag the reference to tag the new image with, or null
     */
    public record ChildImage(String parent, ImageConfig.RunConfig config, String createdBy, String comment, String author,
                             ImageReference tag) {}

    /** Writes one uncompressed layer tar; see {@link #addChild}. */
    public interface LayerSource {
        void write(java.io.OutputStream out) throws IOException;
    }

    /**
     * Stores the layer {@code layer} writes (null: the step adds no layer, its history entry says
     * {@code empty_layer}) and a config: the parent's os, architecture, layers and history plus the new
     * layer and one history entry. Publishes no event: the caller's operation (commit, build) has its own.
     */
    public Image addChild(ChildImage request, LayerSource layer) throws IOException {
        ImageConfig parent = null;
        if (request.parent() != null) {
            ImageId pid = get(request.parent()).id();
            synchronized (this) {
                parent = configs.get(pid);
            }
        }
        List<String> diffIds = new ArrayList<>(parent == null ? List.of() : parent.rootfs().diffIds());
        if (layer != null) {
            diffIds.add(layers.importWritten(layer::write).diffId().toString());
        }
        List<ImageConfig.History> history = new ArrayList<>(parent == null ? List.of() : parent.history());
        String now = clock.instant().toString();
        history.add(new ImageConfig.History(now, request.createdBy(), request.comment(), layer == null ? Boolean.TRUE : null));
        ImageConfig config = new ImageConfig(parent == null ? null : parent.architecture(), parent == null ? "linux" : parent.os(),
                now, emptyToNull(request.author()), emptyToNull(request.comment()), null, request.config(),
                new ImageConfig.RootFs("layers", diffIds), history);
        ImageId id = storeConfig(JSON.writeValueAsBytes(config));
        if (request.tag() != null) {
            tag(id, request.tag());
        }
        return get(id.toString());
    }

    /**
     * {@code docker load}: stores a layer tar (plain or gzip) and returns its diff id, which the caller
     * checks against the config's.
     */
    public Digest importLayer(InputStream tar) throws IOException {
        return layers.importTar(tar).diffId();
    }

    /**
     * {@code docker load}: stores config bytes as they are (their sha256 is the image id, the same on every
     * engine). Every layer the config names must already be stored.
     */
    public ImageId addConfig(byte[] bytes) throws IOException {
        ImageConfig config;
        try {
            config = READ.readValue(bytes, ImageConfig.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw AgentException.invalidArgument("invalid image config: " + e.getOriginalMessage());
        }
        for (Digest d : config.diffIds()) {
            if (!layers.has(d)) {
                throw AgentException.invalidArgument("image config names layer " + d + ", which the archive does not hold");
            }
        }
        ImageId id = storeConfig(bytes);
        publish("load", id, id.toString());
        return id;
    }

    /** The stored config bytes (what {@code docker save} writes as {@code <id>.json}). */
    public byte[] configBytes(ImageId id) throws IOException {
        return Files.readAllBytes(content.resolve(id.digest().hex()));
    }

    /** The stored uncompressed tar of a layer. */
    public Path layerTar(Digest diffId) {
        return layers.tarFile(diffId);
    }

    /** Bytes of regular-file content in one layer, 0 if not stored. */
    public long layerSize(Digest diffId) {
        return layers.has(diffId) ? layers.size(diffId) : 0;
    }

    /** Publishes an image event (e.g. {@code save}) with dockerd's actor id and name attribute. */
    public void publishEvent(String action, ImageId id) {
        publish(action, id, id.toString());
    }

    /** Removes those of {@code candidates} no image uses: the layers of a load that failed half way. */
    public synchronized void deleteUnusedLayers(java.util.Collection<Digest> candidates) throws IOException {
        Set<Digest> used = new HashSet<>();
        configs.values().forEach(c -> used.addAll(c.diffIds()));
        for (Digest d : new HashSet<>(candidates)) {
            if (!used.contains(d)) {
                layers.delete(d);
            }
        }
    }

    /** A directory for work in progress inside the store (same file system; cleared at start-up). */
    Path tmpDir() {
        return layers.tmp();
    }

    private ImageId storeConfig(byte[] bytes) throws IOException {
        ImageId id = new ImageId(Digest.of(bytes));
        ImageConfig config = READ.readValue(bytes, ImageConfig.class);
        synchronized (this) {
            if (!configs.containsKey(id)) {
                AtomicFiles.write(content.resolve(id.digest().hex()), bytes);
                configs.put(id, config);
            }
        }
        return id;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The image {@code name} names (full id, id prefix, or reference; a reference without tag means :latest). */
    public synchronized Optional<Image> find(String name) {
        return resolve(name).map(this::image);
    }

    /** As {@link #find} but a missing image is dockerd's 404 "No such image: x". */
    public Image get(String name) {
        return find(name).orElseThrow(() -> AgentException.notFound("No such image: " + notFoundName(name)));
    }

    public synchronized List<Image> list() {
        return configs.keySet().stream().map(this::image)
                .sorted(Comparator.comparing(Image::created).reversed().thenComparing(Image::id))
                .toList();
    }

    /** {@code docker tag SOURCE TARGET}; returns the tagged image. */
    public Image tag(String source, ImageReference target) {
        ImageId id = get(source).id();
        tag(id, target);
        return get(id.toString());
    }

    /**
     * The snapshot directories of an image's layers, top layer first: the order overlayfs wants in
     * {@code lowerdir=top:...:bottom}. Each is shared and must never be written.
     */
    public synchronized List<Path> snapshotDirs(ImageId id) {
        ImageConfig config = configs.get(id);
        if (config == null) {
            throw AgentException.notFound("No such image: " + id);
        }
        List<Path> dirs = new ArrayList<>();
        List<Digest> diffIds = config.diffIds();
        for (int i = diffIds.size() - 1; i >= 0; i--) {
            dirs.add(layers.snapshot(diffIds.get(i)));
        }
        return dirs;
    }

    synchronized List<ImageReference> references(ImageId id) {
        return refs.referencesTo(id);
    }

    /** Removes one tag (no-op when absent) and publishes dockerd's untag event. */
    synchronized ImageReference untag(ImageId id, ImageReference ref) {
        ImageReference tagged = ref.withDefaultTag();
        refs.remove(tagged);
        publish("untag", id, id.toString());
        return tagged;
    }

    /**
     * Deletes an image's config, and the layers no other image uses unless {@code keepLayers} (a stopped
     * container still needs them). Returns the diff ids of the layers removed.
     */
    synchronized List<Digest> delete(ImageId id, boolean keepLayers) throws IOException {
        ImageConfig config = configs.remove(id);
        if (config == null) {
            return List.of();
        }
        Files.deleteIfExists(content.resolve(id.digest().hex()));
        refs.forget(id);
        publish("delete", id, id.toString());
        List<Digest> removed = new ArrayList<>();
        if (!keepLayers) {
            Set<Digest> stillUsed = new HashSet<>();
            configs.values().forEach(c -> stillUsed.addAll(c.diffIds()));
            for (Digest layer : new HashSet<>(config.diffIds())) {
                if (!stillUsed.contains(layer)) {
                    layers.delete(layer);
                    removed.add(layer);
                }
            }
        }
        return removed;
    }

    /** Tags {@code id} with {@code target}, publishing dockerd's tag event. */
    public void tag(ImageId id, ImageReference target) {
        if (target.digest() != null) {
            throw AgentException.invalidArgument("refusing to create a tag with a digest reference");
        }
        synchronized (this) {
            refs.put(target.withDefaultTag(), id, clock.instant());
        }
        publish("tag", id, target.withDefaultTag().familiarString());
    }

    private Image image(ImageId id) {
        ImageConfig config = configs.get(id);
        long size = config.diffIds().stream().distinct().mapToLong(d -> layers.has(d) ? layers.size(d) : 0).sum();
        return new Image(id, config, size, refs.referencesTo(id), refs.lastTagTime(id));
    }

    /** dockerd's GetImage order: a full id, then a reference, then an id prefix. */
    private Optional<ImageId> resolve(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        String hex = name.startsWith(Digest.ALGORITHM + ":") ? name.substring(Digest.ALGORITHM.length() + 1) : name;
        if (hex.length() == 64 && Digest.isLowerHex(hex)) {
            ImageId id = new ImageId(new Digest(hex));
            return configs.containsKey(id) ? Optional.of(id) : Optional.empty();
        }
        if (!name.startsWith(Digest.ALGORITHM + ":")) {
            ImageId tagged = refs.get(ImageReference.parse(name));
            if (tagged != null && configs.containsKey(tagged)) {
                return Optional.of(tagged);
            }
        }
        if (hex.isEmpty() || !Digest.isLowerHex(hex)) {
            return Optional.empty();
        }
        List<ImageId> matches = configs.keySet().stream().filter(id -> id.digest().hex().startsWith(hex)).toList();
        if (matches.size() > 1) {
            throw AgentException.invalidArgument("ambiguous image id prefix '" + name + "': it matches " + matches.size() + " images");
        }
        return matches.stream().findFirst();
    }

    /** How dockerd names a missing image: a reference with its default tag, anything else as given. */
    private static String notFoundName(String name) {
        try {
            if (name.startsWith(Digest.ALGORITHM + ":")) {
                return name;
            }
            return ImageReference.parse(name).withDefaultTag().familiarString();
        } catch (AgentException e) {
            return name;
        }
    }

    private void publish(String action, ImageId id, String name) {
        events.publish(new Event(Event.Type.IMAGE, action, id.toString(), Map.of("name", name), clock.instant()));
    }
}
