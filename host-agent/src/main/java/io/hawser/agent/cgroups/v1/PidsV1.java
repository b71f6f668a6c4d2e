package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import java.nio.file.Path;

/**
 * The pids controller: the same files on v1 and v2 ({@code pids.max}, "max" for unlimited; {@code pids.current}).
 * A fork or clone beyond the limit fails with EAGAIN.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/pids.html">Process Number Controller</a>
 */
final class PidsV1 {

    private PidsV1() {}

    /** Docker's {@code --pids-limit}: 0 or -1 means unlimited; null leaves the current value. */
    static void set(Path dir, Resources r) {
        if (r.pidsLimit() != null) {
            long limit = r.pidsLimit();
            CgroupFiles.write(dir.resolve("pids.max"), limit > 0 ? Long.toString(limit) : CgroupFiles.MAX);
        }
    }

    static CgroupStats.Pids stats(Path dir) {
        long max = CgroupFiles.readLongIfExists(dir.resolve("pids.max"), Long.MAX_VALUE);
        return new CgroupStats.Pids(CgroupFiles.readLong(dir.resolve("pids.current")), max == Long.MAX_VALUE ? 0 : max);
    }
}
