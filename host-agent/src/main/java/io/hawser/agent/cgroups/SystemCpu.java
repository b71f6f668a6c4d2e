package io.hawser.agent.cgroups;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's side of {@code docker stats}' CPU percentage: {@code system_cpu_usage} is the sum of the
 * first "cpu" line of /proc/stat in nanoseconds, and {@code online_cpus} the number of "cpuN" lines, as
 * moby's getSystemCPUUsage reads them. The CLI divides the container's usage delta by this delta.
 *
 * @see <a href="https://man7.org/linux/man-pages/man5/proc_stat.5.html">proc_stat(5)</a>
 */
public record SystemCpu(long usageNanos, int onlineCpus) {

    /** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture Docker supports (sysconf(_SC_CLK_TCK)). */
    static final long CLOCK_TICKS = 100;

    public static SystemCpu read(Path procStat) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procStat);
        } catch (IOException e) {
            throw AgentException.system("read " + procStat, e);
        }
        long ticks = -1;
        int cpus = 0;
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f[0].equals("cpu")) {
                ticks = 0;
                // user nice system idle iowait irq softirq steal; guest time is already inside user.
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    ticks += Long.parseLong(f[i]);
                }
            } else if (f[0].startsWith("cpu")) {
                cpus++;
            }
        }
        if (ticks < 0) {
            throw AgentException.system(procStat + " has no cpu line");
        }
        return new SystemCpu(ticks * (1_000_000_000L / CLOCK_TICKS), cpus);
    }

    public static SystemCpu read() {
        return read(Path.of("/proc/stat"));
    }
}
