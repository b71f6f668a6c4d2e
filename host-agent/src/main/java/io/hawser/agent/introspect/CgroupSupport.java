package io.hawser.agent.introspect;

import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Which limits the host's cgroup hierarchy lets the agent enforce, for {@code docker info}'s booleans and
 * warnings (moby pkg/sysinfo: cgroup v1 checks a controller's mount and its files, v2 the root's
 * {@code cgroup.controllers}, where the memory controller brings the swap limit with it).
 */
public record CgroupSupport(boolean memoryLimit, boolean swapLimit, boolean cpuCfs, boolean cpuShares,
                            boolean cpuset, boolean pidsLimit) {

    public static CgroupSupport of(CgroupLayout layout) {
        if (layout.version() == CgroupVersion.V2) {
            Set<String> controllers = Set.of();
            try {
                controllers = Set.of(Files.readString(layout.unifiedRoot().resolve("cgroup.controllers")).strip().split("\\s+"));
            } catch (IOException e) {
                // no controllers readable: nothing can be limited, and info says so
            }
            boolean memory = controllers.contains("memory");
            boolean cpu = controllers.contains("cpu");
            return new CgroupSupport(memory, memory, cpu, cpu, controllers.contains("cpuset"), controllers.contains("pids"));
        }
        Path memory = layout.v1Controllers().get("memory");
        Path cpu = layout.v1Controllers().get("cpu");
        return new CgroupSupport(
                has(memory, "memory.limit_in_bytes"),
                has(memory, "memory.memsw.limit_in_bytes"), // absent without swap accounting (swapaccount=1)
                has(cpu, "cpu.cfs_period_us", "cpu.cfs_quota_us"),
                has(cpu, "cpu.shares"),
                has(layout.v1Controllers().get("cpuset"), "cpuset.cpus"),
                layout.v1Controllers().containsKey("pids")); // the root has no pids.max; every child has
    }

    /** dockerd's warnings for what is missing (daemon/info_unix.go fillPlatformInfo), in its order. */
    public List<String> warnings() {
        List<String> w = new java.util.ArrayList<>();
        if (!memoryLimit) {
            w.add("WARNING: No memory limit support");
        }
        if (!swapLimit) {
            w.add("WARNING: No swap limit support");
        }
        if (!cpuCfs) {
            w.add("WARNING: No cpu cfs quota support");
            w.add("WARNING: No cpu cfs period support");
        }
        if (!cpuShares) {
            w.add("WARNING: No cpu shares support");
        }
        if (!cpuset) {
            w.add("WARNING: No cpuset support");
        }
        if (!pidsLimit) {
            w.add("WARNING: No pids limit support");
        }
        return w;
    }

    private static boolean has(Path dir, String... files) {
        if (dir == null) {
            return false;
        }
        for (String f : files) {
            if (!Files.exists(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }
}
