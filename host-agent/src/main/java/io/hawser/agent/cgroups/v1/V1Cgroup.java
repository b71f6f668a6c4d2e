package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupProcesses;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.common.AgentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A container's cgroup on v1: one directory per joined controller. */
final class V1Cgroup implements Cgroup {

    private final CgroupPath path;
    private final Map<String, Path> dirs;

    V1Cgroup(CgroupPath path, Map<String, Path> dirs) {
        this.path = path;
        this.dirs = Map.copyOf(dirs);
    }

    Map<String, Path> dirs() {
        return dirs;
    }

    /** Distinct directories: co-mounted controllers (cpu,cpuacct) share one. */
    private List<Path> distinctDirs() {
        return new ArrayList<>(new LinkedHashSet<>(dirs.values()));
    }

    private Path dir(String controller) {
        Path d = dirs.get(controller);
        if (d == null) {
            throw AgentException.system("cgroup v1 controller " + controller + " is not mounted");
        }
        return d;
    }

    @Override
    public CgroupPath path() {
        return path;
    }

    @Override
    public void addProcess(long pid) {
        // Each hierarchy has its own membership: the process must be written into every one of them.
        for (Path d : distinctDirs()) {
            CgroupFiles.write(d.resolve("cgroup.procs"), Long.toString(pid));
        }
    }

    @Override
    public List<Path> procsFiles() {
        return distinctDirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    public void update(Resources r) {
        MemoryV1.set(dir("memory"), r);
        if (dirs.containsKey("cpu")) {
            CpuV1.set(dirs.get("cpu"), r);
        } else if (r.cpuShares() != 0 || r.effectiveCpuQuota() != 0) {
            throw AgentException.system("cgroup v1 cpu controller is not mounted: cannot limit CPU");
        }
        if (dirs.containsKey("cpuset")) {
            CpusetV1.set(dirs.get("cpuset"), r);
        }
        if (dirs.containsKey("pids")) {
            PidsV1.set(dirs.get("pids"), r);
        } else if (r.pidsLimit() != null && r.pidsLimit() > 0) {
            throw AgentException.system("cgroup v1 pids controller is not mounted: cannot limit pids");
        }
    }

    @Override
    public CgroupStats stats() {
        CgroupStats.Cpu cpu = CpuV1.stats(dirs.get("cpu"), dirs.get("cpuacct"));
        CgroupStats.Pids pids = dirs.containsKey("pids") ? PidsV1.stats(dirs.get("pids")) : new CgroupStats.Pids(pids().size(), 0);
        List<CgroupStats.BlkioEntry> blkio = dirs.containsKey("blkio") ? BlkioV1.stats(dirs.get("blkio")) : List.of();
        return new CgroupStats(cpu, MemoryV1.stats(dir("memory")), pids, blkio);
    }

    @Override
    public boolean oomKilled() {
        return MemoryV1.oomKilled(dir("memory"));
    }

    @Override
    public List<Long> pids() {
        Path d = dirs.getOrDefault("pids", dir("memory"));
        List<Long> all = new ArrayList<>();
        for (Path sub : CgroupFiles.subtreeBottomUp(d)) {
            all.addAll(CgroupFiles.readPids(sub.resolve("cgroup.procs")));
        }
        return all;
    }

    @Override
    public void freeze() {
        FreezerV1.freeze(dir("freezer"));
    }

    @Override
    public void thaw() {
        FreezerV1.thaw(dir("freezer"));
    }

    @Override
    public void killAll() {
        boolean canFreeze = dirs.containsKey("freezer");
        if (canFreeze) {
            freeze();
        }
        try {
            // A SIGKILL sent to a frozen task is delivered when it thaws; nobody can fork in between.
            CgroupProcesses.sigkill(pids());
        } finally {
            if (canFreeze) {
                thaw();
            }
        }
        CgroupProcesses.awaitEmpty(path, this::pids);
    }

    @Override
    public void destroy() {
        CgroupProcesses.removeDirs(path, distinctDirs(), this::pids);
    }

    @Override
    public String toString() {
        return "cgroup v1 " + path;
    }
}
