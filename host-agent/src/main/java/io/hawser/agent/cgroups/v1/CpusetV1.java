package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.Resources;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The v1 cpuset controller. A new v1 cpuset cgroup starts with empty {@code cpuset.cpus} and
 * {@code cpuset.mems}, and attaching a task to it fails with ENOSPC, so each level the agent creates gets
 * its parent's values first (runc fs/cpuset.go ensureParent does the same).
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/cpusets.html">CPUSETS</a>
 */
final class CpusetV1 {

    static final String CPUS = "cpuset.cpus";
    static final String MEMS = "cpuset.mems";

    private CpusetV1() {}

    /** Fills empty cpus/mems from the top of {@code path} down, each from its parent. */
    static void inheritDown(Path mount, CgroupPath path) {
        Path parent = mount;
        for (String segment : path.segments()) {
            Path dir = parent.resolve(segment);
            copyIfEmpty(parent, dir, CPUS);
            copyIfEmpty(parent, dir, MEMS);
            parent = dir;
        }
    }

    private static void copyIfEmpty(Path parent, Path dir, String file) {
        Path from = parent.resolve(file);
        Path to = dir.resolve(file);
        if (Files.exists(from) && (!Files.exists(to) || CgroupFiles.read(to).isEmpty())) {
            CgroupFiles.write(to, CgroupFiles.read(from));
        }
    }

    static void set(Path dir, Resources r) {
        if (!r.cpusetCpus().isEmpty()) {
            CgroupFiles.write(dir.resolve(CPUS), r.cpusetCpus());
        }
        if (!r.cpusetMems().isEmpty()) {
            CgroupFiles.write(dir.resolve(MEMS), r.cpusetMems());
        }
    }
}
