package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The v1 cpu controller (shares, CFS bandwidth) and cpuacct (usage accounting).
 *
 * @see <a href="https://docs.kernel.org/scheduler/sched-bwc.html">CFS Bandwidth Control</a>
 */
final class CpuV1 {

    static final String SHARES = "cpu.shares";
    static final String PERIOD = "cpu.cfs_period_us";
    static final String QUOTA = "cpu.cfs_quota_us";
    /** cpuacct.stat counts USER_HZ ticks (1/100 s); the Engine API reports nanoseconds. */
    static final long NANOS_PER_TICK = 10_000_000;

    private CpuV1() {}

    static void set(Path dir, Resources r) {
        if (r.cpuShares() != 0) {
            CgroupFiles.write(dir.resolve(SHARES), Long.toString(r.cpuShares()));
        }
        long period = r.effectiveCpuPeriod();
        long quota = r.effectiveCpuQuota();
        if (period != 0) {
            try {
                CgroupFiles.write(dir.resolve(PERIOD), Long.toString(period));
            } catch (AgentException e) {
                // The kernel checks quota/period as a pair: a shorter period can be refused until the quota
                // fits it, so write the quota first and retry (runc fs/cpu.go does the same).
                if (quota == 0) {
                    throw e;
                }
                CgroupFiles.write(dir.resolve(QUOTA), Long.toString(quota));
                CgroupFiles.write(dir.resolve(PERIOD), Long.toString(period));
            }
        }
        if (quota != 0) {
            CgroupFiles.write(dir.resolve(QUOTA), Long.toString(quota));
        }
    }

    /** @param cpu the cpu controller's dir, or null; {@code cpuacct} the cpuacct one (may be the same) */
    static CgroupStats.Cpu stats(Path cpu, Path cpuacct) {
        long total = 0;
        List<Long> perCpu = new ArrayList<>();
        long user = 0;
        long system = 0;
        if (cpuacct != null) {
            total = CgroupFiles.readLong(cpuacct.resolve("cpuacct.usage"));
            Path percpu = cpuacct.resolve("cpuacct.usage_percpu");
            if (Files.exists(percpu)) {
                for (String v : CgroupFiles.read(percpu).split("\\s+")) {
                    if (!v.isEmpty()) {
                        perCpu.add(Long.parseLong(v));
                    }
                }
            }
            Map<String, Long> stat = CgroupFiles.readKeyValuesIfExists(cpuacct.resolve("cpuacct.stat"));
            user = stat.getOrDefault("user", 0L) * NANOS_PER_TICK;
            system = stat.getOrDefault("system", 0L) * NANOS_PER_TICK;
        }
        Map<String, Long> throttling = cpu == null ? Map.of() : CgroupFiles.readKeyValuesIfExists(cpu.resolve("cpu.stat"));
        return new CgroupStats.Cpu(total, perCpu, user, system, throttling.getOrDefault("nr_periods", 0L),
                throttling.getOrDefault("nr_throttled", 0L), throttling.getOrDefault("throttled_time", 0L));
    }
}
