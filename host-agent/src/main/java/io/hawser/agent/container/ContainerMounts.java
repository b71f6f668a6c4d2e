package io.hawser.agent.container;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.runtime.SpecMount;
import io.hawser.agent.volume.Volume;
import io.hawser.agent.volume.Volumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A container's mounts over its life: resolved and recorded at create ({@code <dir>/mounts.json}, the volumes
 * created and referenced), turned into the shim's mounts at each start (an empty volume first gets the
 * image's content, a missing -v host directory is created, every source is given to the shim without
 * symlinks), the volume mount/unmount events, and the references dropped at removal ({@code rm -v} also
 * removes the anonymous volumes, as dockerd's removeMountPoints).
 */
final class ContainerMounts {

    private static final Logger LOG = Logger.getLogger(ContainerMounts.class.getName());
    static final String FILE = "mounts.json";
    private static final TypeReference<List<MountPoint>> LIST = new TypeReference<>() {};

    private final Volumes volumes;

    ContainerMounts(Volumes volumes) {
        this.volumes = volumes;
    }

    /** At create: volumes made (anonymous) or found and referenced; undone if anything fails. */
    List<MountPoint> create(String containerId, List<MountPoint> parsed) {
        List<MountPoint> resolved = new ArrayList<>();
        try {
            for (MountPoint m : parsed) {
                if (!m.isVolume()) {
                    resolved.add(m);
                    continue;
                }
                Volume v = m.name().isEmpty() ? volumes.createAnonymous(containerId) : volumes.useOrCreate(m.name(), containerId);
                resolved.add(m.withVolume(v.name(), volumes.mountpoint(v.name()).toString()));
            }
        } catch (RuntimeException e) {
            removed(containerId, resolved, true);
            throw e;
        }
        return resolved;
    }

    static void save(Path containerDir, List<MountPoint> mounts) throws IOException {
        Files.write(containerDir.resolve(FILE), ContainerStore.MAPPER.writeValueAsBytes(mounts));
    }

    /** The recorded mounts; none for a container created before volumes existed. */
    static List<MountPoint> load(Path containerDir) {
        Path f = containerDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            return ContainerStore.MAPPER.readValue(f.toFile(), LIST);
        } catch (IOException e) {
            throw AgentException.system("read " + f, e);
        }
    }

    /** At agent start: the stored containers reference their volumes again. */
    void reference(String containerId, List<MountPoint> mounts) {
        for (MountPoint m : mounts) {
            if (m.isVolume()) {
                try {
                    volumes.use(m.name(), containerId);
                } catch (AgentException e) {
                    LOG.warning("container " + containerId + " uses volume " + m.name() + ", which is gone");
                }
            }
        }
    }

    /** At start, the root mounted: what the shim mounts, in order; the volume mount events. */
    List<SpecMount> prepare(String containerId, Path mergedRoot, List<MountPoint> mounts) {
        List<SpecMount> out = new ArrayList<>();
        for (MountPoint m : mounts) {
            switch (m.type()) {
                case "tmpfs" -> out.add(new SpecMount("tmpfs", "tmpfs", m.destination(), m.options()));
                case "bind" -> out.add(new SpecMount("bind", realSource(m), m.destination(), m.options()));
                default -> {
                    if (m.copyData()) {
                        VolumeCopy.fillIfEmpty(mergedRoot, m.destination(), volumes.mountpoint(m.name()));
                    }
                    out.add(new SpecMount("bind", realSource(m), m.destination(), m.options()));
                }
            }
        }
        for (MountPoint m : mounts) {
            if (m.isVolume()) {
                volumes.mounted(m.name(), containerId, m.destination(), m.rw());
            }
        }
        return out;
    }

    /** After an exit (or a failed start). */
    void stopped(String containerId, List<MountPoint> mounts) {
        for (MountPoint m : mounts) {
            if (m.isVolume()) {
                volumes.unmounted(m.name(), containerId);
            }
        }
    }

    /** After removal: references dropped; with {@code removeAnonymous} the unnamed volumes go (unless used). */
    void removed(String containerId, List<MountPoint> mounts, boolean removeAnonymous) {
        for (MountPoint m : mounts) {
            if (!m.isVolume() || m.name().isEmpty()) {
                continue;
            }
            volumes.release(m.name(), containerId);
            if (removeAnonymous && !m.named()) {
                try {
                    volumes.remove(m.name(), true);
                } catch (AgentException e) {
                    // in use by another container: "an implementation detail" (moby removeMountPoints)
                    LOG.log(Level.FINE, "keeping volume " + m.name() + ": " + e.getMessage());
                }
            }
        }
    }

    /** The host path without symlinks; -v creates a missing one as a directory, as dockerd does at start. */
    private static String realSource(MountPoint m) {
        Path src = Path.of(m.source());
        try {
            if (m.createSource() && !Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(src);
            }
            return src.toRealPath().toString();
        } catch (IOException e) {
            throw AgentException.invalidArgument("error while creating mount source path '" + m.source() + "': " + e);
        }
    }
}
