package io.hawser.agent.container;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A create request's mounts, read as dockerd reads them (moby volume/mounts/linux_parser.go and
 * daemon/volumes.go registerMountPoints): {@code HostConfig.Binds} ({@code -v SRC:DST[:MODE]}),
 * {@code HostConfig.Mounts} ({@code --mount}), {@code HostConfig.Tmpfs} ({@code --tmpfs}), then an anonymous
 * volume for every path of the image's and the container's {@code Volumes} nothing else mounts. Volume names
 * are still empty for anonymous volumes: {@link ContainerMounts} creates them. Errors are dockerd's 400s.
 */
final class MountSpecs {

    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
    private static final Set<String> SUPPORTED_PROPAGATIONS = Set.of("private", "rprivate");
    /** dockerd's defaults for --tmpfs (daemon/oci_linux.go setMounts), before the user's options. */
    private static final List<String> TMPFS_DEFAULTS = List.of("noexec", "nosuid", "nodev");

    private MountSpecs() {}

    static List<MountPoint> parse(HostConfig hc, Map<String, ?> containerVolumes, Map<String, ?> imageVolumes) {
        Map<String, MountPoint> byDest = new LinkedHashMap<>();
        if (hc.binds() != null) {
            for (JsonNode b : hc.binds()) {
                add(byDest, bind(b.asText()));
            }
        }
        if (hc.mounts() != null) {
            for (JsonNode m : hc.mounts()) {
                add(byDest, mount(m));
            }
        }
        if (hc.tmpfs() != null) {
            for (Map.Entry<String, String> t : hc.tmpfs().entrySet()) {
                String dest = destination(t.getKey(), "tmpfs", "invalid tmpfs mount " + t.getKey());
                add(byDest, new MountPoint("tmpfs", "", "", dest, "", !tmpfsOptions(t.getValue()).contains("ro"), "", false,
                        false, false, tmpfsOptions(t.getValue()), false));
            }
        }
        // the container's Volumes (-v /path), then the image's: dockerd merges them (daemon/commit.go merge)
        for (Map<String, ?> vols : List.of(containerVolumes == null ? Map.<String, Object>of() : containerVolumes,
                imageVolumes == null ? Map.<String, Object>of() : imageVolumes)) {
            for (String path : vols.keySet()) {
                String dest = destination(path, "volume", "invalid volume specification: '" + path + "'");
                byDest.putIfAbsent(dest, new MountPoint("volume", "", "", dest, "", true, "", false, true, false, List.of(), true));
            }
        }
        List<MountPoint> all = new ArrayList<>(byDest.values());
        // parents first (moby daemon/volumes.go sortMounts: by the number of path components)
        all.sort(Comparator.comparingInt(m -> m.destination().split("/").length));
        return all;
    }

    private static void add(Map<String, MountPoint> byDest, MountPoint m) {
        if (byDest.putIfAbsent(m.destination(), m) != null) {
            throw AgentException.invalidArgument("Duplicate mount point: " + m.destination());
        }
    }

    /** -v SRC:DST[:MODE]: SRC absolute is a bind, otherwise a volume name; DST alone is an anonymous volume. */
    static MountPoint bind(String raw) {
        String[] parts = raw.split(":", -1);
        String spec = "invalid volume specification: '" + raw + "'";
        if (parts.length > 3 || raw.isEmpty()) {
            throw AgentException.invalidArgument(spec);
        }
        if (parts.length == 1) {
            String dest = destination(parts[0], "volume", spec);
            return new MountPoint("volume", "", "", dest, "", true, "", false, true, false, List.of(), true);
        }
        String src = parts[0];
        boolean isBind = src.startsWith("/");
        String type = isBind ? "bind" : "volume";
        String dest = destination(parts[1], type, spec);
        String mode = parts.length == 3 ? parts[2] : "";
        boolean ro = false;
        boolean nocopy = false;
        String propagation = isBind ? "rprivate" : "";
        for (String m : mode.isEmpty() ? new String[0] : mode.split(",")) {
            switch (m) {
                case "ro" -> ro = true;
                case "rw", "z", "Z", "consistent", "cached", "delegated" -> { }
                case "nocopy" -> nocopy = true;
                default -> {
                    if (!PROPAGATIONS.contains(m)) {
                        throw AgentException.invalidArgument(spec + ": invalid mode: " + mode);
                    }
                    propagation = supportedPropagation(m);
                }
            }
        }
        if (isBind && nocopy) {
            throw AgentException.invalidArgument(spec + ": invalid mode: " + mode);
        }
        if (isBind) {
            return new MountPoint("bind", "", Path.of(src).normalize().toString(), dest, mode, !ro, propagation, false, false,
                    true, ro ? List.of("ro") : List.of(), true);
        }
        // dockerd shows "z" for a named volume given without a mode (its default SELinux relabel mode)
        return new MountPoint("volume", src, "", dest, mode.isEmpty() ? "z" : mode, !ro, "", true, !nocopy, false,
                ro ? List.of("ro") : List.of(), true);
    }

    /** --mount, as the CLI sends it (moby api/types/mount.Mount). */
    static MountPoint mount(JsonNode m) {
        String type = m.path("Type").asText("");
        String src = m.path("Source").asText("");
        String dest = destination(m.path("Target").asText(""), type, "invalid mount config for type \"" + type + "\"");
        boolean ro = m.path("ReadOnly").asBoolean(false);
        List<String> options = ro ? List.of("ro") : List.of();
        switch (type) {
            case "bind" -> {
                String err = "invalid mount config for type \"bind\": ";
                if (src.isEmpty()) {
                    throw AgentException.invalidArgument(err + "field Source must not be empty");
                }
                if (!src.startsWith("/")) {
                    throw AgentException.invalidArgument(err + "invalid mount path: '" + src + "' mount path must be absolute");
                }
                if (!Files.exists(Path.of(src))) {
                    throw AgentException.invalidArgument(err + "bind source path does not exist: " + src);
                }
                String propagation = m.path("BindOptions").path("Propagation").asText("");
                propagation = propagation.isEmpty() ? "rprivate" : supportedPropagation(propagation);
                return new MountPoint("bind", "", Path.of(src).normalize().toString(), dest, "", !ro, propagation, false,
                        false, false, options, true);
            }
            case "volume" -> {
                boolean nocopy = m.path("VolumeOptions").path("NoCopy").asBoolean(false);
                JsonNode driver = m.path("VolumeOptions").path("DriverConfig");
                if (!driver.path("Options").isMissingNode() && !driver.path("Options").isEmpty()) {
                    throw AgentException.invalidArgument("volume driver options are not supported by this engine");
                }
                return new MountPoint("volume", src, "", dest, "z", !ro, "", !src.isEmpty(), !nocopy, false, options, true);
            }
            case "tmpfs" -> {
                if (!src.isEmpty()) {
                    throw AgentException.invalidArgument("invalid mount config for type \"tmpfs\": field Source must not be specified");
                }
                List<String> opts = new ArrayList<>(TMPFS_DEFAULTS);
                long size = m.path("TmpfsOptions").path("SizeBytes").asLong(0);
                if (size > 0) {
                    opts.add("size=" + size);
                }
                int mode = m.path("TmpfsOptions").path("Mode").asInt(0);
                if (mode != 0) {
                    opts.add("mode=" + Integer.toOctalString(mode & 07777));
                }
                if (ro) {
                    opts.add("ro");
                }
                return new MountPoint("tmpfs", "", "", dest, "", !ro, "", false, false, false, opts, true);
            }
            default -> throw AgentException.invalidArgument("mount type unknown: \"" + type + "\"");
        }
    }

    /** --tmpfs /path:OPTS: dockerd's defaults, then the user's (a later flag wins over its opposite). */
    static List<String> tmpfsOptions(String raw) {
        List<String> opts = new ArrayList<>(TMPFS_DEFAULTS);
        for (String o : raw == null || raw.isEmpty() ? new String[0] : raw.split(",")) {
            switch (o) {
                case "ro", "noexec", "nosuid", "nodev" -> opts.add(o);
                case "rw" -> opts.remove("ro");
                case "exec", "suid", "dev" -> opts.remove("no" + o);
                default -> {
                    String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
                    if (!Set.of("size", "mode", "nr_inodes", "uid", "gid").contains(key) || !o.matches("[a-z_]+=[0-9]+[kmgKMG%]?")) {
                        throw AgentException.invalidArgument("invalid tmpfs option [\"" + o + "\"]");
                    }
                    opts.removeIf(p -> p.startsWith(key + "="));
                    opts.add(o);
                }
            }
        }
        return opts.stream().distinct().toList();
    }

    private static String destination(String dest, String type, String context) {
        if (!dest.startsWith("/")) {
            throw AgentException.invalidArgument(context + ": invalid mount config for type \"" + type + "\": invalid mount path: '"
                    + dest + "' mount path must be absolute");
        }
        String clean = Path.of(dest).normalize().toString();
        if (clean.equals("/")) {
            throw AgentException.invalidArgument("invalid specification: destination can't be '/'");
        }
        if (clean.indexOf('\t') >= 0 || clean.indexOf('\0') >= 0) {
            throw AgentException.invalidArgument(context + ": the path holds a tab or NUL");
        }
        return clean;
    }

    private static String supportedPropagation(String p) {
        if (!PROPAGATIONS.contains(p)) {
            throw AgentException.invalidArgument("invalid propagation mode: " + p);
        }
        if (!SUPPORTED_PROPAGATIONS.contains(p)) {
            throw AgentException.invalidArgument("mount propagation " + p + " is not supported by this engine (private only)");
        }
        return p;
    }
}
