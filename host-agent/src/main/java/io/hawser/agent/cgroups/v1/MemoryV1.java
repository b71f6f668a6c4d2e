package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The v1 memory controller.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/memory.html">Memory Resource Controller</a>
 */
final class MemoryV1 {

    static final String LIMIT = "memory.limit_in_bytes";
    /** memory+swap; present only with swap accounting (CONFIG_MEMCG_SWAP and swapaccount=1). */
    static final String MEMSW_LIMIT = "memory.memsw.limit_in_bytes";

    private MemoryV1() {}

    /**
     * The kernel requires memory.limit_in_bytes <= memory.memsw.limit_in_bytes at every moment, so the
     * order of the two writes depends on the direction of the change (runc fs/memory.go setMemoryAndSwap).
     */
    static void set(Path dir, Resources r) {
        long memory = r.memory();
        long swap = r.memorySwap();
        boolean hasMemsw = Files.exists(dir.resolve(MEMSW_LIMIT));
        if (memory == -1 && swap == 0) {
            swap = -1; // unlimited memory implies unlimited swap
        }
        if (memory != 0 && swap != 0 && hasMemsw) {
            long current = CgroupFiles.readLong(dir.resolve(LIMIT));
            if (swap == -1 || current < swap) {
                CgroupFiles.write(dir.resolve(MEMSW_LIMIT), Long.toString(swap));
                CgroupFiles.write(dir.resolve(LIMIT), Long.toString(memory));
            } else {
                CgroupFiles.write(dir.resolve(LIMIT), Long.toString(memory));
                CgroupFiles.write(dir.resolve(MEMSW_LIMIT), Long.toString(swap));
            }
            return;
        }
        if (memory != 0) {
            CgroupFiles.write(dir.resolve(LIMIT), Long.toString(memory));
        }
        if (swap != 0 && hasMemsw) {
            CgroupFiles.write(dir.resolve(MEMSW_LIMIT), Long.toString(swap));
        }
    }

    static CgroupStats.Memory stats(Path dir) {
        return new CgroupStats.Memory(
                CgroupFiles.readLong(dir.resolve("memory.usage_in_bytes")),
                CgroupFiles.readLongIfExists(dir.resolve("memory.max_usage_in_bytes"), 0),
                CgroupFiles.readLong(dir.resolve(LIMIT)),
                CgroupFiles.readLongIfExists(dir.resolve("memory.failcnt"), 0),
                CgroupFiles.readKeyValuesIfExists(dir.resolve("memory.stat")));
    }

    /**
     * {@code memory.oom_control}: {@code oom_kill} counts OOM kills in this cgroup (kernel 4.13 and later);
     * {@code under_oom} is 1 while an OOM is being handled, which is all older kernels say.
     */
    static boolean oomKilled(Path dir) {
        Map<String, Long> oom = CgroupFiles.readKeyValuesIfExists(dir.resolve("memory.oom_control"));
        return oom.getOrDefault("oom_kill", 0L) > 0 || oom.getOrDefault("under_oom", 0L) > 0;
    }
}
