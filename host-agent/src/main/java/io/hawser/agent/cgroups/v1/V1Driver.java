package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.cgroups.DeviceRule;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cgroup v1: one hierarchy per controller, so a container's cgroup is one directory per controller, all at
 * the same relative path ({@code /sys/fs/cgroup/memory/hawser/<id>}, {@code .../cpu/hawser/<id>}, ...),
 * as runc's fs driver lays it out.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/cgroups.html">cgroups v1</a>
 */
public final class V1Driver implements CgroupDriver {

    /**
     * The controllers a container joins, when mounted. devices carries Docker's default device rules
     * (written by {@link #create}); freezer serves freeze and killAll.
     */
    static final List<String> JOINED = List.of("cpuset", "cpu", "cpuacct", "memory", "pids", "blkio", "devices", "freezer");

    private final Map<String, Path> mounts;

    public V1Driver(CgroupLayout layout) {
        if (layout.version() != CgroupVersion.V1) {
            throw new IllegalArgumentException("not a v1 layout: " + layout);
        }
        Map<String, Path> joined = new LinkedHashMap<>();
        for (String controller : JOINED) {
            Path mount = layout.v1Controllers().get(controller);
            if (mount != null) {
                joined.put(controller, mount);
            }
        }
        if (!joined.containsKey("memory")) {
            throw AgentException.system("cgroup v1 memory controller is not mounted (mounted: " + layout.v1Controllers().keySet() + ")");
        }
        this.mounts = Map.copyOf(joined);
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V1;
    }

    @Override
    public Cgroup create(CgroupPath path, Resources resources) {
        V1Cgroup cgroup = open(path);
        for (Map.Entry<String, Path> e : cgroup.dirs().entrySet()) {
            CgroupFiles.mkdirs(e.getValue());
        }
        Path cpuset = mounts.get("cpuset");
        if (cpuset != null) {
            CpusetV1.inheritDown(cpuset, path);
        }
        Path devices = cgroup.dirs().get("devices");
        if (devices == null) {
            // Without the controller nothing stops a container's root from mknod'ing the host's disk.
            throw AgentException.system("cgroup v1 devices controller is not mounted: cannot confine device access");
        }
        DevicesV1.set(devices, DeviceRule.DOCKER_DEFAULTS);
        cgroup.update(resources);
        return cgroup;
    }

    @Override
    public V1Cgroup open(CgroupPath path) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String controller : JOINED) {
            Path mount = mounts.get(controller);
            if (mount != null) {
                dirs.put(controller, path.under(mount));
            }
        }
        return new V1Cgroup(path, dirs);
    }

    @Override
    public boolean exists(CgroupPath path) {
        return Files.isDirectory(path.under(mounts.get("memory")));
    }
}
