package io.hawser.agent.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.cgroups.Resources;
import java.util.Map;

/**
 * The create body's {@code HostConfig} (moby api/types/container.HostConfig), the fields the agent acts on or
 * must refuse. The refused ones are kept as raw JSON only to tell "absent or empty" from "asked for"; Binds and
 * Mounts too, read by {@link MountSpecs}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostConfig(
        @JsonProperty("Memory") long memory,
        @JsonProperty("MemorySwap") long memorySwap,
        @JsonProperty("NanoCpus") long nanoCpus,
        @JsonProperty("CpuShares") long cpuShares,
        @JsonProperty("CpuQuota") long cpuQuota,
        @JsonProperty("CpuPeriod") long cpuPeriod,
        @JsonProperty("CpusetCpus") String cpusetCpus,
        @JsonProperty("CpusetMems") String cpusetMems,
        @JsonProperty("PidsLimit") Long pidsLimit,
        @JsonProperty("RestartPolicy") RestartPolicy restartPolicy,
        @JsonProperty("AutoRemove") boolean autoRemove,
        @JsonProperty("LogConfig") LogConfig logConfig,
        @JsonProperty("NetworkMode") String networkMode,
        @JsonProperty("Binds") JsonNode binds,
        @JsonProperty("Mounts") JsonNode mounts,
        @JsonProperty("PortBindings") JsonNode portBindings,
        @JsonProperty("VolumesFrom") JsonNode volumesFrom,
        @JsonProperty("CapAdd") JsonNode capAdd,
        @JsonProperty("CapDrop") JsonNode capDrop,
        @JsonProperty("Devices") JsonNode devices,
        @JsonProperty("Privileged") boolean privileged,
        @JsonProperty("PublishAllPorts") boolean publishAllPorts,
        @JsonProperty("ReadonlyRootfs") boolean readonlyRootfs,
        @JsonProperty("Tmpfs") Map<String, String> tmpfs) {

    /** {@code --log-driver} and {@code --log-opt}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LogConfig(@JsonProperty("Type") String type, @JsonProperty("Config") Map<String, String> config) {
        public LogConfig {
            type = type == null || type.isEmpty() ? "json-file" : type;
            config = config == null ? Map.of() : Map.copyOf(config);
        }
    }

    public HostConfig {
        cpusetCpus = cpusetCpus == null ? "" : cpusetCpus;
        cpusetMems = cpusetMems == null ? "" : cpusetMems;
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        logConfig = logConfig == null ? new LogConfig(null, null) : logConfig;
        networkMode = networkMode == null || networkMode.isEmpty() ? "default" : networkMode;
    }

    public static HostConfig defaults() {
        return new HostConfig(0, 0, 0, 0, 0, 0, null, null, null, null, false, null, null, null, null, null, null, null,
                null, null, false, false, false, null);
    }

    /** The cgroup limits, with dockerd's create-time defaults (swap twice the memory, shares clamped). */
    public Resources resources() {
        return Resources.none().withMemory(memory).withMemorySwap(memorySwap).withNanoCpus(nanoCpus)
                .withCpuShares(cpuShares).withCpuQuota(cpuQuota).withCpuPeriod(cpuPeriod)
                .withPidsLimit(pidsLimit == null || pidsLimit <= 0 ? null : pidsLimit)
                .withCpuset(cpusetCpus, cpusetMems);
    }

    HostConfig withResources(Resources r) {
        return new HostConfig(r.memory(), r.memorySwap(), r.nanoCpus(), r.cpuShares(), r.cpuQuota(), r.cpuPeriod(),
                r.cpusetCpus(), r.cpusetMems(), pidsLimit, restartPolicy, autoRemove, logConfig, networkMode, binds, mounts,
                portBindings, volumesFrom, capAdd, capDrop, devices, privileged, publishAllPorts, readonlyRootfs, tmpfs);
    }
}
