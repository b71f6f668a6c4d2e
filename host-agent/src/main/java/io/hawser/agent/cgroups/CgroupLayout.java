package io.hawser.agent.cgroups;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the host mounts its cgroup hierarchies, and so which version the agent drives.
 *
 * <p>The rule: v1 when any v1 hierarchy carries a real controller, otherwise v2 when a cgroup2 hierarchy is
 * mounted. A "hybrid" host (systemd's default before v2, and this machine) mounts v1 controllers under
 * {@code /sys/fs/cgroup/<controller>} plus an empty cgroup2 at {@code /sys/fs/cgroup/unified}; a controller
 * can be bound to one hierarchy only, so that v2 tree can limit nothing and v1 is the one to use. A pure
 * v2 host mounts cgroup2 at {@code /sys/fs/cgroup} and no v1 controller.
 *
 * @param unifiedRoot the v2 mount point, or null on v1
 * @param v1Controllers v1 controller name to its mount point (co-mounted controllers share one), empty on v2
 */
public record CgroupLayout(CgroupVersion version, Path unifiedRoot, Map<String, Path> v1Controllers) {

    /** The v1 controllers the kernel knows (Documentation/admin-guide/cgroup-v1); other options are flags. */
    static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
            "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    public CgroupLayout {
        v1Controllers = Map.copyOf(v1Controllers);
    }

    /** From {@code /proc/self/mountinfo} text (proc(5): mount point is field 5, then "-", fstype, source, super options). */
    public static CgroupLayout fromMountinfo(String mountinfo) {
        Map<String, Path> v1 = new TreeMap<>();
        Path unified = null;
        for (String line : mountinfo.split("\n")) {
            String[] sides = line.split(" - ", 2);
            if (sides.length != 2) {
                continue;
            }
            String[] left = sides[0].split(" ");
            String[] right = sides[1].split(" ");
            if (left.length < 5 || right.length < 3) {
                continue;
            }
            Path mountPoint = Path.of(unescape(left[4]));
            if (right[0].equals("cgroup2") && unified == null) {
                unified = mountPoint;
            } else if (right[0].equals("cgroup")) {
                for (String option : right[2].split(",")) {
                    if (V1_CONTROLLERS.contains(option)) {
                        v1.putIfAbsent(option, mountPoint); // a hierarchy bind-mounted twice: the first is the host's
                    }
                }
            }
        }
        return choose(v1, unified, "/proc/self/mountinfo");
    }

    /** The running host's layout. */
    public static CgroupLayout fromProc() {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        try {
            return fromMountinfo(Files.readString(mountinfo));
        } catch (IOException e) {
            throw AgentException.system("read " + mountinfo, e);
        }
    }

    /**
     * From a directory shaped like {@code /sys/fs/cgroup}: v2 when it holds {@code cgroup.controllers},
     * otherwise v1 with one subdirectory per controller (or per co-mounted group, {@code cpu,cpuacct}).
     * The unit tests' temp trees come in this way.
     */
    public static CgroupLayout fromTree(Path root) {
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            return new CgroupLayout(CgroupVersion.V2, root, Map.of());
        }
        Map<String, Path> v1 = new TreeMap<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.sorted().toList()) {
                if (!Files.isDirectory(entry)) {
                    continue;
                }
                for (String name : entry.getFileName().toString().split(",")) {
                    if (V1_CONTROLLERS.contains(name)) {
                        v1.putIfAbsent(name, entry.toRealPath()); // "cpu" -> "cpu,cpuacct" symlinks resolve to one dir
                    }
                }
            }
        } catch (IOException e) {
            throw AgentException.system("list cgroup hierarchies in " + root, e);
        }
        return choose(v1, null, root.toString());
    }

    private static CgroupLayout choose(Map<String, Path> v1, Path unified, String source) {
        if (!v1.isEmpty()) {
            return new CgroupLayout(CgroupVersion.V1, null, v1);
        }
        if (unified != null) {
            return new CgroupLayout(CgroupVersion.V2, unified, Map.of());
        }
        throw AgentException.system("no cgroup hierarchy is mounted (read " + source + "): mount cgroup2 on /sys/fs/cgroup");
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
