package io.hawser.agent.cgroups.v2;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupProcesses;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A container's cgroup on v2: one directory. */
final class V2Cgroup implements Cgroup {

    static final Duration FREEZE_TIMEOUT = Duration.ofSeconds(10);

    private final CgroupPath path;
    private final Path dir;

    V2Cgroup(CgroupPath path, Path dir) {
        this.path = path;
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    @Override
    public CgroupPath path() {
        return path;
    }

    @Override
    public void addProcess(long pid) {
        CgroupFiles.write(dir.resolve("cgroup.procs"), Long.toString(pid));
    }

    @Override
    public List<Path> procsFiles() {
        return List.of(dir.resolve("cgroup.procs"));
    }

    @Override
    public void update(Resources r) {
        MemoryV2.set(dir, r);
        CpuV2.set(dir, r);
        if (!r.cpusetCpus().isEmpty()) {
            CgroupFiles.write(dir.resolve("cpuset.cpus"), r.cpusetCpus());
        }
        if (!r.cpusetMems().isEmpty()) {
            CgroupFiles.write(dir.resolve("cpuset.mems"), r.cpusetMems());
        }
        if (r.pidsLimit() != null) {
            long limit = r.pidsLimit();
            CgroupFiles.write(dir.resolve("pids.max"), limit > 0 ? Long.toString(limit) : CgroupFiles.MAX);
        }
    }

    @Override
    public CgroupStats stats() {
        long pidsMax = CgroupFiles.readLongIfExists(dir.resolve("pids.max"), Long.MAX_VALUE);
        CgroupStats.Pids pids = Files.exists(dir.resolve("pids.current"))
                ? new CgroupStats.Pids(CgroupFiles.readLong(dir.resolve("pids.current")), pidsMax == Long.MAX_VALUE ? 0 : pidsMax)
                : new CgroupStats.Pids(pids().size(), 0);
        return new CgroupStats(CpuV2.stats(dir), MemoryV2.stats(dir), pids, IoV2.stats(dir));
    }

    @Override
    public boolean oomKilled() {
        return MemoryV2.oomKilled(dir);
    }

    @Override
    public List<Long> pids() {
        List<Long> all = new ArrayList<>();
        for (Path sub : CgroupFiles.subtreeBottomUp(dir)) {
            all.addAll(CgroupFiles.readPids(sub.resolve("cgroup.procs")));
        }
        return all;
    }

    /** {@code cgroup.freeze} (kernel 5.2+); done when {@code cgroup.events} says "frozen 1". */
    @Override
    public void freeze() {
        setFrozen(1);
    }

    @Override
    public void thaw() {
        setFrozen(0);
    }

    private void setFrozen(long frozen) {
        CgroupFiles.write(dir.resolve("cgroup.freeze"), Long.toString(frozen));
        Path events = dir.resolve("cgroup.events");
        if (!CgroupFiles.await(() -> CgroupFiles.readKeyValues(events).getOrDefault("frozen", -1L) == frozen, FREEZE_TIMEOUT)) {
            throw AgentException.system("set " + dir.resolve("cgroup.freeze") + " to " + frozen + " failed: "
                    + events + " does not say frozen " + frozen + " after " + FREEZE_TIMEOUT.toSeconds() + " s");
        }
    }

    /** {@code cgroup.kill} (kernel 5.14+) kills the whole subtree atomically; older kernels: freeze, kill, thaw. */
    @Override
    public void killAll() {
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            CgroupFiles.write(kill, "1");
        } else {
            freeze();
            try {
                CgroupProcesses.sigkill(pids());
            } finally {
                thaw();
            }
        }
        CgroupProcesses.awaitEmpty(path, this::pids);
    }

    @Override
    public void destroy() {
        CgroupProcesses.removeDirs(path, List.of(dir), this::pids);
    }

    @Override
    public String toString() {
        return "cgroup v2 " + path;
    }
}
