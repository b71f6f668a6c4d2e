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
                configs.put(id, JSON.readValue(bytes, ImageConfig.class));
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

    private void tag(ImageId id, ImageReference target) {
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
