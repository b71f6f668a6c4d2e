package io.hawser.agent.cgroups;

import java.util.List;
import java.util.Map;

/**
 * One reading of a container's cgroup, with what {@code GET /containers/{id}/stats} reports (the API
 * code shapes it; {@link SystemCpu} adds the host's side of the CPU percentage).
 */
public record CgroupStats(Cpu cpu, Memory memory, Pids pids, List<BlkioEntry> blkio) {

    public CgroupStats {
        blkio = List.copyOf(blkio);
    }

    /**
     * CPU time in nanoseconds.
     *
     * @param perCpu per-CPU usage (v1 {@code cpuacct.usage_percpu}); empty on v2, which has no such file
     * @param userMode {@code usage_in_usermode}, {@code kernelMode} {@code usage_in_kernelmode}
     * @param periods CFS periods elapsed, {@code throttledPeriods} of them throttled, for {@code throttledTime}
     */
    public record Cpu(long totalUsage, List<Long> perCpu, long userMode, long kernelMode,
            long periods, long throttledPeriods, long throttledTime) {
        public Cpu {
            perCpu = List.copyOf(perCpu);
        }
    }

    /**
     * Memory in bytes.
     *
     * @param limit the cgroup's limit; {@link Long#MAX_VALUE} (v2 "max") or the kernel's page-rounded
     *        maximum (v1) when unlimited: dockerd shows the host's memory instead when it exceeds it
     * @param stats {@code memory.stat} as keys and values, which the Engine API passes through unchanged
     */
    public record Memory(long usage, long maxUsage, long limit, long failcnt, Map<String, Long> stats) {
        public Memory {
            stats = Map.copyOf(stats);
        }

        /**
         * Usage without the page cache that could be dropped, as {@code docker stats} shows it
         * (calculateMemUsageUnixNoCache in docker/cli): v1 subtracts {@code total_inactive_file},
         * v2 {@code inactive_file}, when smaller than usage.
         */
        public long usageWithoutCache() {
            Long inactive = stats.containsKey("total_inactive_file") ? stats.get("total_inactive_file") : stats.get("inactive_file");
            return inactive != null && inactive < usage ? usage - inactive : usage;
        }

        /** The page cache: v1 {@code cache} (total), v2 {@code file}. */
        public long cache() {
            return stats.getOrDefault("total_cache", stats.getOrDefault("cache", stats.getOrDefault("file", 0L)));
        }
    }

    /** @param limit {@code pids.max}; 0 when "max" (unlimited), as dockerd leaves it out then */
    public record Pids(long current, long limit) {}

    /**
     * One line of {@code blkio_stats.io_service_bytes_recursive}: v1 ops are "Read", "Write", "Sync",
     * "Async", "Discard", "Total"; v2 (io.stat) gives "read" and "write", as moby converts it.
     */
    public record BlkioEntry(int major, int minor, String op, long value) {}

    /** Bytes read from all devices. */
    public long blkioReadBytes() {
        return blkio.stream().filter(e -> e.op().equalsIgnoreCase("read")).mapToLong(BlkioEntry::value).sum();
    }

    /** Bytes written to all devices. */
    public long blkioWriteBytes() {
        return blkio.stream().filter(e -> e.op().equalsIgnoreCase("write")).mapToLong(BlkioEntry::value).sum();
    }
}
