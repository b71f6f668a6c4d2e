package io.hawser.agent.api;

import io.hawser.agent.api.http.Json;
import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.cgroups.SystemCpu;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.introspect.NetDev;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code GET /containers/{id}/stats?stream&one-shot}, as dockerd answers it (api/server/router/container,
 * getContainersStats; daemon/stats.go, ContainerStats; daemon/stats/collector.go):
 * <ul>
 *   <li>{@code stream} defaults to true: one JSON document per line, one per second (the collector's
 *       interval), each with the previous sample as {@code precpu_stats}/{@code preread}, until the client goes
 *       away or the container is removed; a container that does not run sends its zeroed stats meanwhile;</li>
 *   <li>{@code stream=0} answers one document: the second of two samples a second apart, so the CPU delta is
 *       real, or with {@code one-shot=1} the first, whose {@code precpu_stats} are zero;</li>
 *   <li>a container that does not run and {@code stream=0}: only its name and id, at once.</li>
 * </ul>
 */
final class ContainerStatsHandler implements Endpoint {

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final ContainerViews containers;
    private final CgroupVersion version;
    private final LongSupplier hostMemory;
    private final Clock clock;
    private final Duration interval;

    ContainerStatsHandler(ContainerViews containers, CgroupVersion version, LongSupplier hostMemory, Clock clock, Duration interval) {
        this.containers = containers;
        this.version = version;
        this.hostMemory = hostMemory;
        this.clock = clock;
        this.interval = interval;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        String id = call.pathParam("id");
        ContainerViews.ContainerView view = find(id).orElseThrow(() -> AgentException.notFound("No such container: " + id));
        boolean stream = flag(call, "stream", true);
        boolean oneShot = flag(call, "one-shot", false);

        if (!stream) {
            StatsWire.Stats first = sample(view);
            StatsWire.Stats answer = first.withPrevious(null);
            if (view.running() && !oneShot) {
                sleep(interval);
                answer = sample(find(view.id()).orElse(view)).withPrevious(first);
            }
            call.exchange().sendJson(200, answer);
            return;
        }

        CountDownLatch gone = new CountDownLatch(1);
        call.exchange().onClientGone(gone::countDown); // before the head, so that it says Connection: close
        OutputStream out = call.exchange().sendChunked(200, "application/json");
        out.flush();
        StatsWire.Stats previous = null;
        try {
            while (true) {
                Optional<ContainerViews.ContainerView> now = find(view.id());
                if (now.isEmpty()) {
                    break; // removed: dockerd closes the subscription
                }
                StatsWire.Stats s = sample(now.get()).withPrevious(previous);
                previous = s;
                out.write(Json.bytes(s));
                out.write('\n');
                out.flush();
                if (gone.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away mid-write: nothing left to tell it
        }
    }

    private Optional<ContainerViews.ContainerView> find(String idOrName) {
        return containers.find(idOrName);
    }

    private StatsWire.Stats sample(ContainerViews.ContainerView view) {
        Optional<Cgroup> cgroup = view.cgroup();
        if (!view.running() || cgroup.isEmpty()) {
            return StatsWire.notRunning(view.name(), view.id());
        }
        CgroupStats stats;
        SystemCpu system;
        try {
            stats = cgroup.get().stats();
            // read close to the cgroup's numbers, as the collector does, so the CPU ratio has little noise
            system = SystemCpu.read();
        } catch (AgentException e) {
            return StatsWire.notRunning(view.name(), view.id()); // it stopped while we read
        }
        return StatsWire.sample(view.name(), view.id(), clock.instant(), stats, version, system, hostMemory.getAsLong(),
                view.initPid() > 0 ? NetDev.read(view.initPid()) : java.util.Map.of());
    }

    /** dockerd's BoolValueOrDefault: absent is the default; "", 0, no, false, none are false; anything else true. */
    static boolean flag(ApiCall call, String name, boolean absent) {
        String value = call.request().queryParam(name);
        if (value == null) {
            return absent;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "", "0", "no", "false", "none" -> false;
            default -> true;
        };
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
