package io.hawser.agent.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.cgroups.SystemCpu;
import io.hawser.agent.introspect.NetDev;
import io.hawser.agent.logs.JsonLogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire shape of {@code GET /containers/{id}/stats} (moby api/types/stats.go, StatsJSON), with Go's
 * {@code omitempty} where dockerd has it ({@link JsonInclude.Include#NON_DEFAULT} here), and the translation
 * from {@link CgroupStats} as moby daemon/stats_unix.go (statsV1, statsV2) and the stats collector do it.
 */
final class StatsWire {

    /** Go's zero time.Time, which dockerd writes for the read times of a container that does not run. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /**
     * The v1 memory.stat keys dockerd reports (containerd's cgroups v1 MemoryStat); v2 keys pass through.
     * Keys the kernel does not give (hierarchical_memsw_limit without swap accounting) read 0, as in Go.
     */
    static final List<String> V1_MEMORY_KEYS = List.of("cache", "rss", "rss_huge", "mapped_file", "dirty", "writeback",
            "pgpgin", "pgpgout", "pgfault", "pgmajfault", "inactive_anon", "active_anon", "inactive_file", "active_file",
            "unevictable", "hierarchical_memory_limit", "hierarchical_memsw_limit", "total_cache", "total_rss",
            "total_rss_huge", "total_mapped_file", "total_dirty", "total_writeback", "total_pgpgin", "total_pgpgout",
            "total_pgfault", "total_pgmajfault", "total_inactive_anon", "total_active_anon", "total_inactive_file",
            "total_active_file", "total_unevictable");

    private StatsWire() {}

    record Stats(
            @JsonProperty("read") String read,
            @JsonProperty("preread") String preread,
            @JsonProperty("pids_stats") Pids pids,
            @JsonProperty("blkio_stats") Blkio blkio,
            @JsonProperty("num_procs") int numProcs,
            @JsonProperty("storage_stats") Map<String, Object> storage,
            @JsonProperty("cpu_stats") Cpu cpu,
            @JsonProperty("precpu_stats") Cpu precpu,
            @JsonProperty("memory_stats") Memory memory,
            @JsonProperty("name") @JsonInclude(JsonInclude.Include.NON_EMPTY) String name,
            @JsonProperty("id") @JsonInclude(JsonInclude.Include.NON_EMPTY) String id,
            @JsonProperty("networks") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Network> networks) {

        Stats withPrevious(Stats previous) {
            return new Stats(read, previous == null ? ZERO_TIME : previous.read(), pids, blkio, numProcs, storage, cpu,
                    previous == null ? Cpu.ZERO : previous.cpu(), memory, name, id, networks);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    record Pids(@JsonProperty("current") long current, @JsonProperty("limit") long limit) {}

    record BlkioEntry(@JsonProperty("major") long major, @JsonProperty("minor") long minor,
                      @JsonProperty("op") String op, @JsonProperty("value") long value) {}

    record Blkio(
            @JsonProperty("io_service_bytes_recursive") List<BlkioEntry> serviceBytes,
            @JsonProperty("io_serviced_recursive") List<BlkioEntry> serviced,
            @JsonProperty("io_queue_recursive") List<BlkioEntry> queued,
            @JsonProperty("io_service_time_recursive") List<BlkioEntry> serviceTime,
            @JsonProperty("io_wait_time_recursive") List<BlkioEntry> waitTime,
            @JsonProperty("io_merged_recursive") List<BlkioEntry> merged,
            @JsonProperty("io_time_recursive") List<BlkioEntry> time,
            @JsonProperty("sectors_recursive") List<BlkioEntry> sectors) {
        static final Blkio NONE = new Blkio(null, null, null, null, null, null, null, null);
    }

    record CpuUsage(@JsonProperty("total_usage") long total,
                    @JsonProperty("percpu_usage") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Long> perCpu,
                    @JsonProperty("usage_in_kernelmode") long kernel,
                    @JsonProperty("usage_in_usermode") long user) {}

    record Throttling(@JsonProperty("periods") long periods, @JsonProperty("throttled_periods") long throttledPeriods,
                      @JsonProperty("throttled_time") long throttledTime) {}

    record Cpu(@JsonProperty("cpu_usage") CpuUsage usage,
               @JsonProperty("system_cpu_usage") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long systemUsage,
               @JsonProperty("online_cpus") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int onlineCpus,
               @JsonProperty("throttling_data") Throttling throttling) {
        static final Cpu ZERO = new Cpu(new CpuUsage(0, List.of(), 0, 0), 0, 0, new Throttling(0, 0, 0));
    }

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    record Memory(@JsonProperty("usage") long usage, @JsonProperty("max_usage") long maxUsage,
                  @JsonProperty("stats") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> stats,
                  @JsonProperty("failcnt") long failcnt, @JsonProperty("limit") long limit) {}

    record Network(@JsonProperty("rx_bytes") long rxBytes, @JsonProperty("rx_packets") long rxPackets,
                   @JsonProperty("rx_errors") long rxErrors, @JsonProperty("rx_dropped") long rxDropped,
                   @JsonProperty("tx_bytes") long txBytes, @JsonProperty("tx_packets") long txPackets,
                   @JsonProperty("tx_errors") long txErrors, @JsonProperty("tx_dropped") long txDropped) {}

    /** What dockerd sends for a container that does not run: only name and id (collector.go, notRunningErr). */
    static Stats notRunning(String name, String id) {
        return new Stats(ZERO_TIME, ZERO_TIME, new Pids(0, 0), Blkio.NONE, 0, Map.of(), Cpu.ZERO, Cpu.ZERO,
                new Memory(0, 0, Map.of(), 0, 0), "/" + name, id, Map.of());
    }

    /**
     * One sample of a running container; the previous sample is added with {@link Stats#withPrevious}.
     *
     * @param hostMemory MemTotal: an unlimited cgroup's limit is shown as the host's memory, as dockerd does
     */
    static Stats sample(String name, String id, Instant read, CgroupStats s, CgroupVersion version, SystemCpu system,
                        long hostMemory, Map<String, NetDev.Counters> net) {
        List<BlkioEntry> bytes = new ArrayList<>();
        for (CgroupStats.BlkioEntry e : s.blkio()) {
            bytes.add(new BlkioEntry(e.major(), e.minor(), e.op(), e.value()));
        }
        // v1 copies every blkio file (empty lists when the kernel has no entries); v2 has only bytes.
        List<BlkioEntry> other = version == CgroupVersion.V1 ? List.of() : null;
        Blkio blkio = new Blkio(version == CgroupVersion.V2 && bytes.isEmpty() ? null : bytes,
                other, other, other, other, other, other, other);

        CgroupStats.Cpu c = s.cpu();
        Cpu cpu = new Cpu(new CpuUsage(c.totalUsage(), c.perCpu(), c.kernelMode(), c.userMode()),
                system.usageNanos(), system.onlineCpus(), new Throttling(c.periods(), c.throttledPeriods(), c.throttledTime()));

        CgroupStats.Memory m = s.memory();
        Map<String, Long> memStats;
        if (version == CgroupVersion.V1) {
            memStats = new LinkedHashMap<>();
            for (String key : V1_MEMORY_KEYS) {
                memStats.put(key, m.stats().getOrDefault(key, 0L));
            }
        } else {
            memStats = new TreeMap<>(m.stats());
        }
        long limit = hostMemory > 0 && m.limit() > hostMemory ? hostMemory : m.limit();
        Memory memory = new Memory(m.usage(), m.maxUsage(), memStats, m.failcnt(), limit);

        Map<String, Network> networks = new TreeMap<>();
        net.forEach((ifname, n) -> networks.put(ifname, new Network(n.rxBytes(), n.rxPackets(), n.rxErrors(), n.rxDropped(),
                n.txBytes(), n.txPackets(), n.txErrors(), n.txDropped())));

        return new Stats(JsonLogLine.formatTime(read), ZERO_TIME, new Pids(s.pids().current(), s.pids().limit()), blkio, 0,
                Map.of(), cpu, Cpu.ZERO, memory, "/" + name, id, networks);
    }
}
