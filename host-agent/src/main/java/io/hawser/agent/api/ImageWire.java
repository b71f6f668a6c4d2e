package io.hawser.agent.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hawser.agent.image.Image;
import io.hawser.agent.image.ImageConfig;
import io.hawser.agent.image.ImageReference;
import io.hawser.agent.image.ImageRemoval;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The image endpoints' JSON shapes (field names and order as dockerd 20.10 writes them, see
 * {@code shared/reference/dockerd-20.10/image-*.json}) and the one translation from the image domain.
 */
final class ImageWire {

    private ImageWire() {}

    /** {@code GET /images/json} entry. Containers and SharedSize are -1: dockerd computes them only on request. */
    record Summary(@JsonProperty("Containers") int containers, @JsonProperty("Created") long created,
                   @JsonProperty("Id") String id, @JsonProperty("Labels") Map<String, String> labels,
                   @JsonProperty("ParentId") String parentId, @JsonProperty("RepoDigests") List<String> repoDigests,
                   @JsonProperty("RepoTags") List<String> repoTags, @JsonProperty("SharedSize") long sharedSize,
                   @JsonProperty("Size") long size, @JsonProperty("VirtualSize") long virtualSize) {}

    record Inspect(@JsonProperty("Id") String id, @JsonProperty("RepoTags") List<String> repoTags,
                   @JsonProperty("RepoDigests") List<String> repoDigests, @JsonProperty("Parent") String parent,
                   @JsonProperty("Comment") String comment, @JsonProperty("Created") String created,
                   @JsonProperty("Container") String container, @JsonProperty("ContainerConfig") Config containerConfig,
                   @JsonProperty("DockerVersion") String dockerVersion, @JsonProperty("Author") String author,
                   @JsonProperty("Config") Config config, @JsonProperty("Architecture") String architecture,
                   @JsonProperty("Os") String os, @JsonProperty("Size") long size,
                   @JsonProperty("VirtualSize") long virtualSize, @JsonProperty("GraphDriver") GraphDriver graphDriver,
                   @JsonProperty("RootFS") RootFs rootFs, @JsonProperty("Metadata") Metadata metadata) {}

    /** Go's container.Config as an image carries it; ExposedPorts and StopSignal are omitempty there. */
    record Config(@JsonProperty("Hostname") String hostname, @JsonProperty("Domainname") String domainname,
                  @JsonProperty("User") String user, @JsonProperty("AttachStdin") boolean attachStdin,
                  @JsonProperty("AttachStdout") boolean attachStdout, @JsonProperty("AttachStderr") boolean attachStderr,
                  @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
                  @JsonProperty("Tty") boolean tty, @JsonProperty("OpenStdin") boolean openStdin,
                  @JsonProperty("StdinOnce") boolean stdinOnce, @JsonProperty("Env") List<String> env,
                  @JsonProperty("Cmd") List<String> cmd, @JsonProperty("Image") String image,
                  @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
                  @JsonProperty("WorkingDir") String workingDir, @JsonProperty("Entrypoint") List<String> entrypoint,
                  @JsonProperty("OnBuild") List<String> onBuild, @JsonProperty("Labels") Map<String, String> labels,
                  @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("StopSignal") String stopSignal) {

        static final Config EMPTY = of(ImageConfig.RunConfig.EMPTY);

        static Config of(ImageConfig.RunConfig c) {
            return new Config("", "", nz(c.user()), false, false, false, c.exposedPorts(), false, false, false, c.env(), c.cmd(),
                    "", c.volumes(), nz(c.workingDir()), c.entrypoint(), c.onBuild(), c.labels(), c.stopSignal());
        }
    }

    record GraphDriver(@JsonProperty("Data") Map<String, String> data, @JsonProperty("Name") String name) {}

    record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {}

    record Metadata(@JsonProperty("LastTagTime") String lastTagTime) {}

    record HistoryItem(@JsonProperty("Comment") String comment, @JsonProperty("Created") long created,
                       @JsonProperty("CreatedBy") String createdBy, @JsonProperty("Id") String id,
                       @JsonProperty("Size") long size, @JsonProperty("Tags") List<String> tags) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeleteItem(@JsonProperty("Untagged") String untagged, @JsonProperty("Deleted") String deleted) {}

    static Summary summary(Image image, List<String> tags) {
        return new Summary(-1, image.created().getEpochSecond(), image.id().toString(), image.config().config().labels(), "",
                List.of(), tags, -1, image.size(), image.size());
    }

    static List<String> tags(Image image) {
        return image.repoTags().stream().map(ImageReference::familiarString).toList();
    }

    static Inspect inspect(Image image, List<Path> snapshots) {
        ImageConfig c = image.config();
        Map<String, String> driverData = new LinkedHashMap<>();
        driverData.put("LowerDir", snapshots.stream().map(Path::toString).collect(Collectors.joining(":")));
        return new Inspect(image.id().toString(), tags(image), List.of(), "", nz(c.comment()), nz(c.created()), "",
                Config.EMPTY, nz(c.dockerVersion()), nz(c.author()), Config.of(c.config()), nz(c.architecture()), nz(c.os()),
                image.size(), image.size(), new GraphDriver(driverData, "overlay"),
                new RootFs(c.rootfs().type(), c.rootfs().diffIds()),
                new Metadata(image.lastTagTime() == null ? "0001-01-01T00:00:00Z" : image.lastTagTime().toString()));
    }

    /**
     * Newest first, one row per history entry (dockerd's ImageService.ImageHistory). Entries that add a
     * layer take the image's layers in order, bottom first, and show that layer's size; empty_layer entries
     * show 0. Only the top row carries the image id and tags; the others are {@code <missing>}, as dockerd
     * shows an image whose parents it does not hold.
     */
    static List<HistoryItem> history(Image image, java.util.function.ToLongFunction<io.hawser.agent.image.Digest> layerSize) {
        List<ImageConfig.History> h = image.config().history();
        List<io.hawser.agent.image.Digest> layers = image.config().diffIds();
        long[] sizes = new long[h.size()];
        int layer = 0;
        for (int i = 0; i < h.size(); i++) {
            if (!Boolean.TRUE.equals(h.get(i).emptyLayer()) && layer < layers.size()) {
                sizes[i] = layerSize.applyAsLong(layers.get(layer++));
            }
        }
        List<HistoryItem> items = new java.util.ArrayList<>();
        for (int i = h.size() - 1; i >= 0; i--) {
            ImageConfig.History e = h.get(i);
            boolean top = i == h.size() - 1;
            long created = e.created() == null ? 0 : Instant.parse(e.created()).getEpochSecond();
            items.add(new HistoryItem(nz(e.comment()), created, nz(e.createdBy()), top ? image.id().toString() : "<missing>",
                    sizes[i], top ? tags(image) : null));
        }
        return items;
    }

    static List<DeleteItem> deleted(List<ImageRemoval.Record> records) {
        return records.stream().map(r -> new DeleteItem(r.untagged(), r.deleted())).toList();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
