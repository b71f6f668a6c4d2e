package io.hawser.agent.cgroups.v2;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The v2 cpu controller: {@code cpu.weight} (1-10000, default 100) and {@code cpu.max} ("$MAX $PERIOD",
 * quota "max" for none).
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html#cpu-interface-files">CPU Interface Files</a>
 */
final class CpuV2 {

    static final String WEIGHT = "cpu.weight";
    static final String MAX = "cpu.max";

    private CpuV2() {}

    static void set(Path dir, Resources r) {
        if (r.cpuShares() != 0) {
            CgroupFiles.write(dir.resolve(WEIGHT), Long.toString(Resources.sharesToWeight(r.cpuShares())));
        }
        String max = cpuMax(r.effectiveCpuQuota(), r.effectiveCpuPeriod());
        if (max != null) {
            CgroupFiles.write(dir.resolve(MAX), max);
        }
    }

    /** runc fs2 setCpu's string: null when neither is set; the kernel keeps the period when it is left out. */
    static String cpuMax(long quota, long period) {
        if (quota == 0 && period == 0) {
            return null;
        }
        String value = quota > 0 ? Long.toString(quota) : CgroupFiles.MAX;
        return period != 0 ? value + " " + period : value;
    }

    /** {@code cpu.stat} counts microseconds; the Engine API reports nanoseconds. No per-CPU figures on v2. */
    static CgroupStats.Cpu stats(Path dir) {
        Map<String, Long> s = CgroupFiles.readKeyValuesIfExists(dir.resolve("cpu.stat"));
        return new CgroupStats.Cpu(s.getOrDefault("usage_usec", 0L) * 1000, List.of(),
                s.getOrDefault("user_usec", 0L) * 1000, s.getOrDefault("system_usec", 0L) * 1000,
                s.getOrDefault("nr_periods", 0L), s.getOrDefault("nr_throttled", 0L), s.getOrDefault("throttled_usec", 0L) * 1000);
    }
}
