package io.hawser.agent.image;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.storage.TarOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code docker save} and {@code docker load} in the Docker archive format (moby image/tarexport, 20.10):
 * {@code manifest.json} ({@code [{"Config":"<id>.json","RepoTags":[...],"Layers":["<dir>/layer.tar",...]}]}),
 * {@code repositories} ({@code {"repo":{"tag":"<top layer dir>"}}}), the config as {@code <id hex>.json}
 * and one directory per layer with {@code VERSION}, {@code json} (a v1 image description, unused by
 * loaders that read manifest.json) and the uncompressed {@code layer.tar}. A layer directory is named by
 * the layer's chain id, so images sharing their lower layers share the directories.
 *
 * <p>Loading ({@link ArchiveLoader}) reads manifest.json, so it also takes the archives newer dockerd writes
 * (OCI layout with {@code blobs/sha256/...} paths and a manifest.json beside {@code index.json}).
 *
 * @see <a href="https://github.com/moby/docker-image-spec/blob/main/v1.2.md">Docker image spec v1.2, combined image JSON + filesystem changeset format</a>
 */
public final class ImageArchive {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One entry of manifest.json. */
    record ManifestItem(@com.fasterxml.jackson.annotation.JsonProperty("Config") String config,
                        @com.fasterxml.jackson.annotation.JsonProperty("RepoTags") List<String> repoTags,
                        @com.fasterxml.jackson.annotation.JsonProperty("Layers") List<String> layers) {}

    static final TypeReference<List<ManifestItem>> MANIFEST = new TypeReference<>() {};

    private final ImageStore store;

    public ImageArchive(ImageStore store) {
        this.store = store;
    }

    /**
     * Resolves every name first (so a missing one fails before anything is written, with dockerd's 404),
     * then writes the archive. A name that is a reference adds that tag to the image's RepoTags; an id adds none.
     */
    public Saver saver(List<String> names) {
        Map<ImageId, List<String>> images = new LinkedHashMap<>();
        for (String name : names) {
            Image image = store.get(name);
            List<String> tags = images.computeIfAbsent(image.id(), k -> new ArrayList<>());
            String tag = tagNamed(name, image);
            if (tag != null && !tags.contains(tag)) {
                tags.add(tag);
            }
        }
        return new Saver(images);
    }

    /** An archive ready to be written. */
    public final class Saver {
        private final Map<ImageId, List<String>> images;

        private Saver(Map<ImageId, List<String>> images) {
            this.images = images;
        }

        public void write(OutputStream body) throws IOException {
            TarOutput tar = new TarOutput(body);
            Set<String> written = new HashSet<>();
            List<ManifestItem> manifest = new ArrayList<>();
            Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
            for (Map.Entry<ImageId, List<String>> e : images.entrySet()) {
                Image image = store.get(e.getKey().toString());
                Instant created = image.created();
                List<String> layerPaths = new ArrayList<>();
                String parent = null;
                Digest chain = null;
                for (Digest diffId : image.config().diffIds()) {
                    chain = chain == null ? diffId : Digest.of((chain + " " + diffId).getBytes(StandardCharsets.US_ASCII));
                    String dir = chain.hex();
                    if (written.add(dir)) {
                        tar.directory(dir, 0755, 0, 0, created);
                        tar.file(dir + "/VERSION", 0644, created, "1.0".getBytes(StandardCharsets.US_ASCII));
                        Map<String, Object> v1 = new LinkedHashMap<>();
                        v1.put("id", dir);
                        if (parent != null) {
                            v1.put("parent", parent);
                        }
                        v1.put("created", "1970-01-01T00:00:00Z");
                        v1.put("container_config", Map.of("Hostname", "", "Domainname", "", "User", "", "Cmd", List.of()));
                        tar.file(dir + "/json", 0644, created, JSON.writeValueAsBytes(v1));
                        Path layer = store.layerTar(diffId);
                        try (InputStream in = Files.newInputStream(layer)) {
                            tar.file(dir + "/layer.tar", 0644, 0, 0, created, Files.size(layer), in);
                        }
                    }
                    layerPaths.add(dir + "/layer.tar");
                    parent = dir;
                }
                String configName = e.getKey().digest().hex() + ".json";
                if (written.add(configName)) {
                    tar.file(configName, 0644, created, store.configBytes(e.getKey()));
                }
                manifest.add(new ManifestItem(configName, e.getValue().isEmpty() ? null : e.getValue(), layerPaths));
                for (String tag : e.getValue()) {
                    ImageReference ref = ImageReference.parse(tag);
                    if (parent != null) {
                        repositories.computeIfAbsent(ref.familiarName(), k -> new LinkedHashMap<>()).put(ref.tag(), parent);
                    }
                }
                store.publishEvent("save", e.getKey());
            }
            tar.file("manifest.json", 0644, Instant.EPOCH, JSON.writeValueAsBytes(manifest));
            if (!repositories.isEmpty()) {
                tar.file("repositories", 0644, Instant.EPOCH, JSON.writeValueAsBytes(repositories));
            }
            tar.finish();
        }
    }

    /**
     * {@code docker load}: reads the archive (hostile input, see {@link ArchiveLoader}), stores its layers and
     * configs and tags, and reports each image as dockerd does: {@code Loaded image: bb:1} for each tag, or
     * {@code Loaded image ID: sha256:...} for an image without one.
     */
    public void load(InputStream archive, Consumer<String> progress) throws IOException {
        new ArchiveLoader(store).load(archive, progress);
    }

    /** The tag {@code name} names on {@code image}, or null when the name is an id (or id prefix). */
    private static String tagNamed(String name, Image image) {
        if (name.startsWith(Digest.ALGORITHM + ":")) {
            return null;
        }
        try {
            ImageReference ref = ImageReference.parse(name).withDefaultTag();
            return ref.digest() == null && image.repoTags().contains(ref) ? ref.familiarString() : null;
        } catch (AgentException e) {
            return null;
        }
    }
}
