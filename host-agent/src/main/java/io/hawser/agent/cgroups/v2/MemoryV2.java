package io.hawser.agent.cgroups.v2;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The v2 memory controller. Unlike v1's memory+swap total, {@code memory.swap.max} is the swap alone.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html#memory-interface-files">Memory Interface Files</a>
 */
final class MemoryV2 {

    static final String MAX = "memory.max";
    static final String SWAP_MAX = "memory.swap.max";

    private MemoryV2() {}

    static void set(Path dir, Resources r) {
        long swap = swapLimit(r.memorySwap(), r.memory());
        // memory.swap.max exists only with swap accounting (CONFIG_MEMCG_SWAP): without it swap goes unlimited.
        if (swap != 0 && Files.exists(dir.resolve(SWAP_MAX))) {
            CgroupFiles.write(dir.resolve(SWAP_MAX), swap < 0 ? CgroupFiles.MAX : Long.toString(swap));
        }
        if (r.memory() != 0) {
            CgroupFiles.write(dir.resolve(MAX), r.memory() < 0 ? CgroupFiles.MAX : Long.toString(r.memory()));
        }
    }

    /**
     * Docker's memory+swap total as v2's swap-only value (runc ConvertMemorySwapToCgroupV2Value):
     * 0 stays unset, -1 stays unlimited, otherwise total minus memory.
     */
    static long swapLimit(long memorySwap, long memory) {
        if (memorySwap == -1 || memorySwap == 0) {
            return memorySwap;
        }
        if (memory == 0 || memory == -1) {
            throw AgentException.invalidArgument("unable to set swap limit without memory limit");
        }
        if (memorySwap < memory) {
            throw AgentException.invalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        return memorySwap - memory;
    }

    static CgroupStats.Memory stats(Path dir) {
        Map<String, Long> events = CgroupFiles.readKeyValuesIfExists(dir.resolve("memory.events"));
        return new CgroupStats.Memory(
                CgroupFiles.readLong(dir.resolve("memory.current")),
                CgroupFiles.readLongIfExists(dir.resolve("memory.peak"), 0), // kernel 5.19+
                CgroupFiles.readLongIfExists(dir.resolve(MAX), Long.MAX_VALUE),
                events.getOrDefault("max", 0L), // times usage hit memory.max: v1's failcnt
                CgroupFiles.readKeyValuesIfExists(dir.resolve("memory.stat")));
    }

    /** {@code memory.events} {@code oom_kill}: processes of this cgroup or below killed by the OOM killer. */
    static boolean oomKilled(Path dir) {
        return CgroupFiles.readKeyValuesIfExists(dir.resolve("memory.events")).getOrDefault("oom_kill", 0L) > 0;
    }
}
