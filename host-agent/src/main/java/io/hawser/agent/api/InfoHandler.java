package io.hawser.agent.api;

import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.introspect.CgroupSupport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * {@code GET /info}: what {@code docker info} prints in its Server section, with dockerd's field names
 * (api/types/system Info; reference/dockerd-20.10/info.json). Only what is true of this agent is claimed:
 * no seccomp, AppArmor or cgroup namespace (so neither in SecurityOptions), no containerd or runc (their
 * commits are empty), only the "null" network driver until containers get networks of their own, no
 * volume plugins. Containers outlive the agent and are adopted again after a restart, which is what
 * LiveRestoreEnabled means; every container runs with no_new_privs.
 */
final class InfoHandler implements Endpoint {

    /**
     * What does not change while the agent runs.
     *
     * @param architecture as {@code uname -m} ({@code x86_64}), as dockerd reports it
     */
    record EngineFacts(String id, String name, Path dataRoot, String serverVersion, String kernelVersion,
                       String operatingSystem, String osVersion, String architecture, int ncpu, long memTotal,
                       String cgroupDriver, CgroupVersion cgroupVersion, CgroupSupport cgroups, List<List<String>> driverStatus) {}

    private final EngineFacts facts;
    private final ContainerViews containers;
    private final IntSupplier imageCount;
    private final Clock clock;

    InfoHandler(EngineFacts facts, ContainerViews containers, IntSupplier imageCount, Clock clock) {
        this.facts = facts;
        this.containers = containers;
        this.imageCount = imageCount;
        this.clock = clock;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        call.exchange().sendJson(200, info());
    }

    Map<String, Object> info() {
        ContainerViews.Counts counts = containers.counts();
        CgroupSupport cg = facts.cgroups();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", facts.id());
        m.put("Containers", counts.total());
        m.put("ContainersRunning", counts.running());
        m.put("ContainersPaused", counts.paused());
        m.put("ContainersStopped", counts.stopped());
        m.put("Images", imageCount.getAsInt());
        m.put("Driver", "overlay2");
        m.put("DriverStatus", facts.driverStatus());
        m.put("Plugins", Map.of("Volume", List.of(), "Network", List.of("null"), "Log", List.of("json-file")));
        m.put("MemoryLimit", cg.memoryLimit());
        m.put("SwapLimit", cg.swapLimit());
        m.put("KernelMemory", false); // deprecated in the Engine API; never set by the agent
        m.put("KernelMemoryTCP", false);
        m.put("CpuCfsPeriod", cg.cpuCfs());
        m.put("CpuCfsQuota", cg.cpuCfs());
        m.put("CPUShares", cg.cpuShares());
        m.put("CPUSet", cg.cpuset());
        m.put("PidsLimit", cg.pidsLimit());
        m.put("IPv4Forwarding", false); // no bridge network yet: the agent forwards nothing
        m.put("BridgeNfIptables", false);
        m.put("BridgeNfIp6tables", false);
        m.put("Debug", false);
        m.put("NFd", openFiles());
        m.put("OomKillDisable", false); // --oom-kill-disable is not offered
        m.put("NGoroutines", ManagementFactory.getThreadMXBean().getThreadCount()); // the JVM's threads
        m.put("SystemTime", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(clock.instant().atZone(ZoneId.systemDefault())));
        m.put("LoggingDriver", "json-file");
        m.put("CgroupDriver", facts.cgroupDriver());
        m.put("CgroupVersion", facts.cgroupVersion().wire());
        m.put("KernelVersion", facts.kernelVersion());
        m.put("OperatingSystem", facts.operatingSystem());
        m.put("OSVersion", facts.osVersion());
        m.put("OSType", "linux");
        m.put("Architecture", facts.architecture());
        m.put("NCPU", facts.ncpu());
        m.put("MemTotal", facts.memTotal());
        m.put("DockerRootDir", facts.dataRoot().toString());
        m.put("Name", facts.name());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", facts.serverVersion());
        m.put("Runtimes", Map.of("hawser", Map.of("path", "hawser-shim")));
        m.put("DefaultRuntime", "hawser");
        m.put("Swarm", swarm());
        m.put("LiveRestoreEnabled", true);
        m.put("Isolation", "");
        m.put("InitBinary", "");
        m.put("ContainerdCommit", Map.of("ID", ""));
        m.put("RuncCommit", Map.of("ID", ""));
        m.put("InitCommit", Map.of("ID", ""));
        m.put("SecurityOptions", List.of("name=no-new-privileges"));
        m.put("Warnings", cg.warnings().isEmpty() ? null : cg.warnings());
        return m;
    }

    private static Map<String, Object> swarm() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("NodeID", "");
        s.put("NodeAddr", "");
        s.put("LocalNodeState", "inactive");
        s.put("ControlAvailable", false);
        s.put("Error", "");
        s.put("RemoteManagers", null);
        return s;
    }

    private static int openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count() - 1; // the directory stream's own descriptor
        } catch (IOException e) {
            return 0;
        }
    }
}
