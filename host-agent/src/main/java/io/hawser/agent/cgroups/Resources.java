package io.hawser.agent.cgroups;

import io.hawser.agent.common.AgentException;

/**
 * A container's limits, in the units and with the "unset" conventions of the Engine API's HostConfig
 * (so the container code copies fields across without translating): 0 means "not set" everywhere except
 * where noted.
 *
 * @param memory {@code --memory}, bytes
 * @param memorySwap {@code --memory-swap}: memory plus swap in bytes; -1 unlimited; 0 unset, which
 *        {@link #withDockerDefaults()} turns into twice {@code memory} as dockerd does
 * @param nanoCpus {@code --cpus} times 10^9
 * @param cpuPeriod {@code --cpu-period}, microseconds
 * @param cpuQuota {@code --cpu-quota}, microseconds; -1 unlimited
 * @param cpuShares {@code --cpu-shares}, the v1 relative weight (default 1024 when unset)
 * @param pidsLimit {@code --pids-limit}: null unset, 0 or negative unlimited
 * @param cpusetCpus {@code --cpuset-cpus}, e.g. "0-1"; empty unset
 * @param cpusetMems {@code --cpuset-mems}; empty unset
 * @see <a href="https://docs.docker.com/engine/containers/resource_constraints/">Resource constraints</a>
 */
public record Resources(long memory, long memorySwap, long nanoCpus, long cpuPeriod, long cpuQuota, long cpuShares,
        Long pidsLimit, String cpusetCpus, String cpusetMems) {

    /** dockerd's linuxMinMemory (daemon/daemon_unix.go): 6 MiB, said "6MB" in its message. */
    public static final long MIN_MEMORY = 6L * 1024 * 1024;
    /** The CFS period {@code --cpus} implies (moby daemon/oci_linux.go): 100 ms. */
    public static final long NANO_CPUS_PERIOD_US = 100_000;
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262_144;

    public Resources {
        cpusetCpus = cpusetCpus == null ? "" : cpusetCpus.trim();
        cpusetMems = cpusetMems == null ? "" : cpusetMems.trim();
    }

    /** No limits at all. */
    public static Resources none() {
        return new Resources(0, 0, 0, 0, 0, 0, null, "", "");
    }

    public Resources withMemory(long bytes) {
        return new Resources(bytes, memorySwap, nanoCpus, cpuPeriod, cpuQuota, cpuShares, pidsLimit, cpusetCpus, cpusetMems);
    }

    public Resources withMemorySwap(long bytes) {
        return new Resources(memory, bytes, nanoCpus, cpuPeriod, cpuQuota, cpuShares, pidsLimit, cpusetCpus, cpusetMems);
    }

    public Resources withNanoCpus(long nanos) {
        return new Resources(memory, memorySwap, nanos, cpuPeriod, cpuQuota, cpuShares, pidsLimit, cpusetCpus, cpusetMems);
    }

    public Resources withCpuPeriod(long us) {
        return new Resources(memory, memorySwap, nanoCpus, us, cpuQuota, cpuShares, pidsLimit, cpusetCpus, cpusetMems);
    }

    public Resources withCpuQuota(long us) {
        return new Resources(memory, memorySwap, nanoCpus, cpuPeriod, us, cpuShares, pidsLimit, cpusetCpus, cpusetMems);
    }

    public Resources withCpuShares(long shares) {
        return new Resources(memory, memorySwap, nanoCpus, cpuPeriod, cpuQuota, shares, pidsLimit, cpusetCpus, cpusetMems);
    }

    public Resources withPidsLimit(Long limit) {
        return new Resources(memory, memorySwap, nanoCpus, cpuPeriod, cpuQuota, cpuShares, limit, cpusetCpus, cpusetMems);
    }

    public Resources withCpuset(String cpus, String mems) {
        return new Resources(memory, memorySwap, nanoCpus, cpuPeriod, cpuQuota, cpuShares, pidsLimit, cpus, mems);
    }

    /**
     * What dockerd stores at create time (adaptContainerSettings in daemon/daemon_unix.go): swap defaults to
     * twice the memory limit, shares are clamped to the kernel's [2, 262144].
     */
    public Resources withDockerDefaults() {
        long swap = memory > 0 && memorySwap == 0 ? memory * 2 : memorySwap;
        long shares = cpuShares < 0 ? MIN_SHARES : Math.min(cpuShares, MAX_SHARES);
        return new Resources(memory, swap, nanoCpus, cpuPeriod, cpuQuota, shares, pidsLimit, cpusetCpus, cpusetMems);
    }

    /**
     * dockerd's checks and messages, in its order (verifyPlatformContainerResources in moby
     * daemon/daemon_unix.go), so the CLI prints the same error.
     *
     * @param update true for {@code docker update}, which may set swap without memory
     */
    public void validate(int onlineCpus, boolean update) {
        if (memory != 0 && memory < MIN_MEMORY) {
            throw AgentException.invalidArgument("Minimum memory limit allowed is 6MB");
        }
        if (memory > 0 && memorySwap > 0 && memorySwap < memory) {
            throw AgentException.invalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0 && memorySwap > 0 && !update) {
            throw AgentException.invalidArgument("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (nanoCpus > 0 && cpuPeriod > 0) {
            throw AgentException.invalidArgument("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus > 0 && cpuQuota > 0) {
            throw AgentException.invalidArgument("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (nanoCpus < 0 || nanoCpus > onlineCpus * 1_000_000_000L) {
            throw AgentException.invalidArgument(String.format(
                    "Range of CPUs is from 0.01 to %d.00, as there are only %d CPUs available", onlineCpus, onlineCpus));
        }
        if (cpuPeriod != 0 && (cpuPeriod < 1000 || cpuPeriod > 1_000_000)) {
            throw AgentException.invalidArgument(
                    "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (cpuQuota > 0 && cpuQuota < 1000) {
            throw AgentException.invalidArgument("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
    }

    /** The CFS period to write, microseconds; 0 when neither {@code --cpus} nor {@code --cpu-period} is set. */
    public long effectiveCpuPeriod() {
        return nanoCpus > 0 ? NANO_CPUS_PERIOD_US : cpuPeriod;
    }

    /** The CFS quota to write, microseconds; 0 unset, -1 unlimited. {@code --cpus 0.5} gives 50000. */
    public long effectiveCpuQuota() {
        return nanoCpus > 0 ? nanoCpus * NANO_CPUS_PERIOD_US / 1_000_000_000L : cpuQuota;
    }

    /**
     * The v2 {@code cpu.weight} for v1 shares, as runc and crun convert it (ConvertCPUSharesToCgroupV2Value):
     * maps [2, 262144] linearly onto [1, 10000]; 0 (unset) stays 0. The default 1024 becomes 39.
     */
    public static long sharesToWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        return 1 + ((shares - 2) * 9999) / 262_142;
    }
}
