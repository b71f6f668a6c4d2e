package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.ConfigChanges;
import io.hawser.agent.image.Image;
import io.hawser.agent.image.ImageConfig;
import io.hawser.agent.image.ImageReference;
import io.hawser.agent.image.ImageStore;
import io.hawser.agent.storage.TarOutput;
import io.hawser.agent.storage.TreeArchiver;
import io.hawser.agent.sys.FileSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code docker commit} (moby daemon/commit.go, 20.10): the container's upper directory becomes a layer on
 * top of its image, with a config made of the container's config (the image's merged with {@code docker
 * run}'s) and the {@code changes}, and a history entry whose {@code created_by} is the container's command.
 * A running container is frozen while its upper directory is read unless {@code pause} is false; a
 * container without changes gives an image with no new layer ({@code empty_layer}), as dockerd.
 */
public final class ContainerCommit {

    /**
     * What the runtime itself puts in the init layer (the mount points and generated files, see
     * {@link ContainerRootfs#create}): never part of a commit, as dockerd's bind-mounted hosts, hostname and
     * resolv.conf and its mounted /proc, /sys and /dev never reach the container's layer.
     */
    static final Set<String> INIT_PATHS = Set.of("proc", "sys", "dev", "etc/hostname", "etc/hosts", "etc/resolv.conf", ".dockerenv");

    /** The query of {@code POST /commit}. */
    public record Request(String container, ImageReference tag, String comment, String author, List<String> changes, boolean pause) {
        public Request {
            changes = List.copyOf(changes);
        }
    }

    private final Containers containers;
    private final ImageStore images;
    private final FileSyscalls fs;

    public ContainerCommit(Containers containers, ImageStore images, FileSyscalls fs) {
        this.containers = containers;
        this.images = images;
        this.fs = fs;
    }

    public Image commit(Request request) throws IOException {
        Container c = containers.get(request.container());
        ContainerRecord r = c.record();
        ContainerConfig cc = r.config();
        ImageConfig.RunConfig base = images.find(r.imageId()).map(i -> i.config().config()).orElse(ImageConfig.RunConfig.EMPTY);
        ImageConfig.RunConfig config = ConfigChanges.apply(merged(base, cc), request.changes()); // bad changes fail before the freeze

        boolean paused = false;
        if (request.pause() && r.state().status() == ContainerStatus.RUNNING) {
            try {
                containers.runner().pause(c);
                paused = true;
            } catch (AgentException e) {
                // stopped or paused meanwhile: nothing to freeze
            }
        }
        Image image;
        try {
            Path upper = c.rootfs().upperDir();
            ImageStore.LayerSource layer = hasChanges(upper) ? out -> {
                TarOutput tar = new TarOutput(out);
                new TreeArchiver(fs, TreeArchiver.Mode.LAYER, INIT_PATHS::contains).contents(upper, "", tar);
                tar.finish();
            } : null;
            image = images.addChild(new ImageStore.ChildImage(r.imageId(), config,
                    cc.cmd() == null ? "" : String.join(" ", cc.cmd()), request.comment(), request.author(), request.tag()), layer);
        } finally {
            if (paused) {
                try {
                    containers.runner().unpause(c);
                } catch (AgentException e) {
                    // it stopped meanwhile
                }
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("comment", request.comment() == null ? "" : request.comment());
        attributes.put("imageID", image.id().toString());
        attributes.put("imageRef", request.tag() == null ? "" : request.tag().withDefaultTag().familiarString());
        containers.events().publish(c.record(), "commit", attributes);
        return image;
    }

    /** The image's config with the container's values over it (the container's already merge the image's). */
    static ImageConfig.RunConfig merged(ImageConfig.RunConfig image, ContainerConfig c) {
        return new ImageConfig.RunConfig(
                c.user().isEmpty() ? image.user() : c.user(),
                c.exposedPorts() == null || c.exposedPorts().isEmpty() ? image.exposedPorts() : emptyObjects(c.exposedPorts()),
                c.env() == null ? image.env() : c.env(),
                c.entrypoint() == null ? image.entrypoint() : c.entrypoint(),
                c.cmd() == null ? image.cmd() : c.cmd(),
                c.volumes() == null || c.volumes().isEmpty() ? image.volumes() : emptyObjects(c.volumes()),
                c.workingDir().isEmpty() ? image.workingDir() : c.workingDir(),
                c.labels().isEmpty() ? image.labels() : c.labels(),
                c.stopSignal() == null || c.stopSignal().isEmpty() ? image.stopSignal() : c.stopSignal());
    }

    private static Map<String, Map<String, Object>> emptyObjects(Map<String, Object> keys) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        keys.keySet().forEach(k -> out.put(k, Map.of()));
        return out;
    }

    /** Whether the upper directory holds anything a commit keeps. */
    private static boolean hasChanges(Path upper) throws IOException {
        if (!Files.isDirectory(upper, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> list = Files.list(upper)) {
            return list.anyMatch(p -> {
                String name = p.getFileName().toString();
                if (!name.equals("etc")) {
                    return !INIT_PATHS.contains(name);
                }
                try (Stream<Path> etc = Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.list(p) : Stream.of(p)) {
                    return etc.anyMatch(e -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            || !INIT_PATHS.contains("etc/" + e.getFileName()));
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }
}
