package io.hawser.agent.api;

import io.hawser.agent.container.Container;
import io.hawser.agent.container.ContainerConfig;
import io.hawser.agent.container.ContainerRecord;
import io.hawser.agent.container.ContainerState;
import io.hawser.agent.container.ContainerStatus;
import io.hawser.agent.container.HostConfig;
import io.hawser.agent.container.MountPoint;
import io.hawser.agent.container.StatusText;
import io.hawser.agent.network.Networking;
import io.hawser.agent.runtime.ContainerSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Containers as the Engine API shows them: inspect ({@code GET /containers/{id}/json}) and list items
 * ({@code GET /containers/json}), with dockerd's field names and order (shared/reference/dockerd-20.10).
 */
final class ContainerWire {

    /** Go's zero time.Time, which dockerd prints for times that have not happened. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ContainerWire() {}

    static Map<String, Object> inspect(Container c, Networking net) {
        ContainerRecord r = c.record();
        ContainerState s = r.state();
        Path dir = c.dir();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Created", r.created().toString());
        m.put("Path", r.path());
        m.put("Args", r.args());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", s.status().wire());
        state.put("Running", s.status().hasProcess() || s.status() == ContainerStatus.RESTARTING);
        state.put("Paused", s.status() == ContainerStatus.PAUSED);
        state.put("Restarting", s.status() == ContainerStatus.RESTARTING);
        state.put("OOMKilled", s.oomKilled());
        state.put("Dead", s.status() == ContainerStatus.DEAD);
        state.put("Pid", s.status().hasProcess() ? s.pid() : 0);
        state.put("ExitCode", s.exitCode());
        state.put("Error", s.error());
        state.put("StartedAt", time(s.startedAt()));
        state.put("FinishedAt", time(s.finishedAt()));
        m.put("State", state);
        m.put("Image", r.imageId());
        m.put("ResolvConfPath", c.rootfs().initDir().resolve("etc/resolv.conf").toString());
        m.put("HostnamePath", c.rootfs().initDir().resolve("etc/hostname").toString());
        m.put("HostsPath", c.rootfs().initDir().resolve("etc/hosts").toString());
        m.put("LogPath", c.logPath().toString());
        m.put("Name", "/" + r.name());
        m.put("RestartCount", r.restartCount());
        m.put("Driver", "overlay2");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", null);
        m.put("HostConfig", hostConfig(r.hostConfig()));
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("Data", Map.of(
                "LowerDir", c.rootfs().lowerDirs().stream().map(Path::toString).collect(Collectors.joining(":")),
                "MergedDir", c.rootfs().mergedDir().toString(),
                "UpperDir", c.rootfs().upperDir().toString(),
                "WorkDir", c.rootfs().workDir().toString()));
        graph.put("Name", "overlay2");
        m.put("GraphDriver", graph);
        m.put("Mounts", mounts(c));
        m.put("Config", config(r.config()));
        m.put("NetworkSettings", NetworkWire.settings(r, net));
        return m;
    }

    static String time(Instant t) {
        return t == null ? ZERO_TIME : t.toString();
    }

    private static Map<String, Object> config(ContainerConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", cfg.hostname());
        m.put("Domainname", cfg.domainname());
        m.put("User", cfg.user());
        m.put("AttachStdin", cfg.attachStdin());
        m.put("AttachStdout", cfg.attachStdout());
        m.put("AttachStderr", cfg.attachStderr());
        if (cfg.exposedPorts() != null && !cfg.exposedPorts().isEmpty()) {
            m.put("ExposedPorts", cfg.exposedPorts());
        }
        m.put("Tty", cfg.tty());
        m.put("OpenStdin", cfg.openStdin());
        m.put("StdinOnce", cfg.stdinOnce());
        m.put("Env", cfg.env());
        m.put("Cmd", cfg.cmd());
        m.put("Image", cfg.image());
        m.put("Volumes", cfg.volumes());
        m.put("WorkingDir", cfg.workingDir());
        m.put("Entrypoint", cfg.entrypoint());
        m.put("OnBuild", cfg.onBuild());
        m.put("Labels", cfg.labels());
        if (cfg.stopSignal() != null && !cfg.stopSignal().isEmpty()) {
            m.put("StopSignal", cfg.stopSignal());
        }
        if (cfg.stopTimeout() != null) {
            m.put("StopTimeout", cfg.stopTimeout());
        }
        return m;
    }

    private static Map<String, Object> hostConfig(HostConfig hc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Binds", hc.binds() == null || hc.binds().isNull() ? null : hc.binds());
        m.put("ContainerIDFile", "");
        m.put("LogConfig", Map.of("Type", hc.logConfig().type(), "Config", hc.logConfig().config()));
        m.put("NetworkMode", hc.networkMode());
        m.put("PortBindings", hc.portBindings() == null || hc.portBindings().isNull() ? Map.of() : hc.portBindings());
        m.put("RestartPolicy", Map.of("Name", hc.restartPolicy().name(), "MaximumRetryCount", hc.restartPolicy().maximumRetryCount()));
        m.put("AutoRemove", hc.autoRemove());
        m.put("VolumeDriver", "");
        m.put("VolumesFrom", null);
        if (hc.tmpfs() != null && !hc.tmpfs().isEmpty()) {
            m.put("Tmpfs", hc.tmpfs());
        }
        if (hc.mounts() != null && !hc.mounts().isNull() && !hc.mounts().isEmpty()) {
            m.put("Mounts", hc.mounts());
        }
        m.put("CapAdd", null);
        m.put("CapDrop", null);
        m.put("CgroupnsMode", "host");
        m.put("Dns", List.of());
        m.put("DnsOptions", List.of());
        m.put("DnsSearch", List.of());
        m.put("ExtraHosts", null);
        m.put("GroupAdd", null);
        m.put("IpcMode", "private");
        m.put("Cgroup", "");
        m.put("Links", null);
        m.put("OomScoreAdj", 0);
        m.put("PidMode", "");
        m.put("Privileged", false);
        m.put("PublishAllPorts", hc.publishAllPorts());
        m.put("ReadonlyRootfs", hc.readonlyRootfs());
        m.put("SecurityOpt", null);
        m.put("UTSMode", "");
        m.put("UsernsMode", "");
        m.put("ShmSize", 67108864);
        m.put("Runtime", "hawser");
        m.put("ConsoleSize", List.of(0, 0));
        m.put("Isolation", "");
        m.put("CpuShares", hc.cpuShares());
        m.put("Memory", hc.memory());
        m.put("NanoCpus", hc.nanoCpus());
        m.put("CgroupParent", "");
        m.put("BlkioWeight", 0);
        m.put("BlkioWeightDevice", List.of());
        m.put("BlkioDeviceReadBps", List.of());
        m.put("BlkioDeviceWriteBps", List.of());
        m.put("BlkioDeviceReadIOps", List.of());
        m.put("BlkioDeviceWriteIOps", List.of());
        m.put("CpuPeriod", hc.cpuPeriod());
        m.put("CpuQuota", hc.cpuQuota());
        m.put("CpuRealtimePeriod", 0);
        m.put("CpuRealtimeRuntime", 0);
        m.put("CpusetCpus", hc.cpusetCpus());
        m.put("CpusetMems", hc.cpusetMems());
        m.put("Devices", List.of());
        m.put("DeviceCgroupRules", null);
        m.put("DeviceRequests", null);
        m.put("KernelMemory", 0);
        m.put("KernelMemoryTCP", 0);
        m.put("MemoryReservation", 0);
        m.put("MemorySwap", hc.memorySwap());
        m.put("MemorySwappiness", null);
        m.put("OomKillDisable", false);
        m.put("PidsLimit", hc.pidsLimit());
        m.put("Ulimits", List.of());
        m.put("CpuCount", 0);
        m.put("CpuPercent", 0);
        m.put("IOMaximumIOps", 0);
        m.put("IOMaximumBandwidth", 0);
        m.put("MaskedPaths", ContainerSpec.DOCKER_MASKED_PATHS);
        m.put("ReadonlyPaths", ContainerSpec.DOCKER_READONLY_PATHS);
        return m;
    }

    static Map<String, Object> listItem(Container c, String image, Instant now, Networking net) {
        ContainerRecord r = c.record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Names", List.of("/" + r.name()));
        m.put("Image", image);
        m.put("ImageID", r.imageId());
        m.put("Command", command(r.path(), r.args()));
        m.put("Created", r.created().getEpochSecond());
        m.put("Ports", NetworkWire.listPorts(r, net));
        m.put("Labels", r.config().labels());
        m.put("State", r.state().status().wire());
        m.put("Status", StatusText.of(r.state(), now));
        m.put("HostConfig", Map.of("NetworkMode", r.hostConfig().networkMode()));
        m.put("NetworkSettings", NetworkWire.listNetworks(r, net));
        m.put("Mounts", mounts(c));
        return m;
    }

    /** dockerd's MountPoint fields, in its order; --tmpfs mounts are not listed (as in dockerd). */
    static List<Map<String, Object>> mounts(Container c) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MountPoint p : MountPoint.of(c)) {
            if (!p.listed()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Type", p.type());
            if (p.isVolume()) {
                m.put("Name", p.name());
            }
            m.put("Source", p.source());
            m.put("Destination", p.destination());
            if (p.isVolume()) {
                m.put("Driver", "local");
            }
            m.put("Mode", p.mode());
            m.put("RW", p.rw());
            m.put("Propagation", p.propagation());
            out.add(m);
        }
        return out;
    }

    /** The COMMAND column: the command and its arguments, an argument with spaces or quotes single-quoted. */
    static String command(String path, List<String> args) {
        List<String> words = new ArrayList<>();
        words.add(path);
        for (String a : args) {
            words.add(PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\"'\"'") + "'");
        }
        return String.join(" ", words);
    }
}
