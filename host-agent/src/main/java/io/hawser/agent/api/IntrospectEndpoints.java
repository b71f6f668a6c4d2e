package io.hawser.agent.api;

import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.SystemCpu;
import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.image.ImageStore;
import io.hawser.agent.introspect.CgroupSupport;
import io.hawser.agent.introspect.EngineId;
import io.hawser.agent.introspect.HostFacts;
import io.hawser.agent.introspect.Ps;
import io.hawser.agent.storage.ChangeScanner;
import io.hawser.agent.sys.HostInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The endpoints that look at containers and the engine without changing them: {@code docker info},
 * {@code top}, {@code diff} and {@code stats}. They see containers only through {@link ContainerViews}.
 */
public final class IntrospectEndpoints {

    private IntrospectEndpoints() {}

    /**
     * Adds {@code GET /info}, {@code /containers/{id}/top}, {@code /containers/{id}/changes} and
     * {@code /containers/{id}/stats} to {@code routes}. Reads the host's facts once, and creates
     * {@code <dataRoot>/engine-id} on first use.
     */
    public static EngineApi.Builder register(EngineApi.Builder routes, ContainerViews containers, ImageStore images,
                                             CgroupDriver cgroups, Path dataRoot, BuildInfo build, HostInfo host) {
        InfoHandler.EngineFacts facts = engineFacts(cgroups, CgroupLayout.fromProc(), dataRoot, build, host);
        return register(routes, containers, () -> images.list().size(), facts);
    }

    static EngineApi.Builder register(EngineApi.Builder routes, ContainerViews containers, IntSupplier imageCount,
                                      InfoHandler.EngineFacts facts) {
        return routes
                .route("GET", "/info", new InfoHandler(facts, containers, imageCount, Clock.systemUTC()))
                .route("GET", "/containers/{id}/top", new ContainerTopHandler(containers, new Ps("ps")))
                .route("GET", "/containers/{id}/changes", new ContainerChangesHandler(containers, ChangeScanner.system()))
                .route("GET", "/containers/{id}/stats", new ContainerStatsHandler(containers,
                        facts.cgroupVersion(), facts::memTotal, Clock.systemUTC(), ContainerStatsHandler.INTERVAL));
    }

    static InfoHandler.EngineFacts engineFacts(CgroupDriver cgroups, CgroupLayout layout, Path dataRoot, BuildInfo build, HostInfo host) {
        HostFacts hostFacts = HostFacts.read();
        List<List<String>> driverStatus = List.of(
                List.of("Backing Filesystem", HostFacts.backingFilesystem(dataRoot)),
                List.of("Native Overlay Diff", "true"), // diff reads the upper directory itself
                List.of("userxattr", "false")); // opaque directories use trusted.overlay.opaque
        return new InfoHandler.EngineFacts(EngineId.loadOrCreate(dataRoot), hostFacts.hostname(), dataRoot,
                build.version(), host.kernelVersion(), hostFacts.operatingSystem(), hostFacts.osVersion(), hostFacts.machine(),
                SystemCpu.read().onlineCpus(), hostFacts.memTotal(), cgroups.driverName(), cgroups.version(),
                CgroupSupport.of(layout), driverStatus);
    }
}
