package io.hawser.agent.cgroups.v2;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.cgroups.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * cgroup v2: one tree, so a container's cgroup is one directory ({@code /sys/fs/cgroup/hawser/<id>}).
 * A controller's files appear in a cgroup only when its parent lists the controller in
 * {@code cgroup.subtree_control}, so creating enables them on every ancestor from the root down.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html#enabling-and-disabling">Enabling and Disabling</a>
 */
public final class V2Driver implements CgroupDriver {

    /** What a container is limited and accounted by (io for blkio stats; cpuset for --cpuset-cpus). */
    static final List<String> WANTED = List.of("cpuset", "cpu", "io", "memory", "pids");

    private final Path root;

    public V2Driver(CgroupLayout layout) {
        if (layout.version() != CgroupVersion.V2) {
            throw new IllegalArgumentException("not a v2 layout: " + layout);
        }
        this.root = layout.unifiedRoot();
        // v2 has no devices controller: the policy is a BPF_PROG_TYPE_CGROUP_DEVICE program, not written yet.
        java.util.logging.Logger.getLogger(V2Driver.class.getName()).warning("cgroup v2: container device access is"
                + " NOT confined (no BPF device filter yet); containers must run without CAP_MKNOD on this host");
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V2;
    }

    @Override
    public Cgroup create(CgroupPath path, Resources resources) {
        Set<String> available = words(CgroupFiles.read(root.resolve("cgroup.controllers")));
        List<String> enable = WANTED.stream().filter(available::contains).toList();
        Path dir = root;
        for (String segment : path.segments()) {
            enableControllers(dir, enable);
            dir = dir.resolve(segment);
            CgroupFiles.mkdirs(dir);
        }
        V2Cgroup cgroup = open(path);
        cgroup.update(resources);
        return cgroup;
    }

    /**
     * Writes "+cpu +memory ..." for those not yet enabled. Only a cgroup without processes may enable
     * controllers for its children ("no internal processes" rule), the root excepted.
     */
    static void enableControllers(Path dir, List<String> enable) {
        Path file = dir.resolve("cgroup.subtree_control");
        Set<String> current = Files.exists(file) ? words(CgroupFiles.read(file)) : Set.of();
        List<String> missing = new ArrayList<>();
        for (String c : enable) {
            if (!current.contains(c)) {
                missing.add("+" + c);
            }
        }
        if (!missing.isEmpty()) {
            CgroupFiles.write(file, String.join(" ", missing));
        }
    }

    @Override
    public V2Cgroup open(CgroupPath path) {
        return new V2Cgroup(path, path.under(root));
    }

    @Override
    public boolean exists(CgroupPath path) {
        return Files.isDirectory(path.under(root));
    }

    private static Set<String> words(String s) {
        return Arrays.stream(s.split("\\s+")).filter(w -> !w.isEmpty()).collect(Collectors.toSet());
    }
}
