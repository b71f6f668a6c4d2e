package io.hawser.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.api.http.HttpExchange;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.container.Container;
import io.hawser.agent.container.ContainerConfig;
import io.hawser.agent.container.ContainerFilters;
import io.hawser.agent.container.ContainerState;
import io.hawser.agent.container.ContainerStatus;
import io.hawser.agent.container.Containers;
import io.hawser.agent.container.HostConfig;
import io.hawser.agent.image.ImageStore;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The container lifecycle endpoints: create, list, inspect, start, stop, restart, kill, wait, delete,
 * rename, pause, unpause, attach ({@link ContainerAttachHandler}) and logs.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container">Engine API: Container</a>
 */
public final class ContainerEndpoints {

    private final Containers containers;
    private final ImageStore images;
    private final Clock clock;

    private ContainerEndpoints(Containers containers, ImageStore images, Clock clock) {
        this.containers = containers;
        this.images = images;
        this.clock = clock;
    }

    public static EngineApi.Builder register(EngineApi.Builder routes, Containers containers, ImageStore images, Clock clock) {
        ContainerEndpoints e = new ContainerEndpoints(containers, images, clock);
        return routes
                .route("POST", "/containers/create", e::create)
                .route("GET", "/containers/json", e::list)
                .route("GET", "/containers/{id}/json", e::inspect)
                .route("POST", "/containers/{id}/start", e::start)
                .route("POST", "/containers/{id}/stop", e::stop)
                .route("POST", "/containers/{id}/restart", e::restart)
                .route("POST", "/containers/{id}/kill", e::kill)
                .route("POST", "/containers/{id}/wait", e::await)
                .route("POST", "/containers/{id}/rename", e::rename)
                .route("POST", "/containers/{id}/pause", e::pause)
                .route("POST", "/containers/{id}/unpause", e::unpause)
                // POST /containers/{id}/resize: ExecEndpoints (the terminal plumbing is shared with exec)
                .route("POST", "/containers/{id}/attach", new ContainerAttachHandler(containers))
                .route("GET", "/containers/{id}/logs", new ContainerLogsHandler(containers.logs()))
                .route("DELETE", "/containers/{id}", e::delete);
    }

    private void create(ApiCall call) throws IOException {
        JsonNode body;
        ContainerConfig config;
        HostConfig hostConfig;
        try {
            body = Json.MAPPER.readTree(call.request().body());
            if (body == null || !body.isObject()) {
                throw AgentException.invalidArgument("invalid JSON: the request body must be a JSON object");
            }
            config = Json.MAPPER.treeToValue(body, ContainerConfig.class);
            JsonNode hc = body.get("HostConfig");
            hostConfig = hc == null || hc.isNull() ? HostConfig.defaults() : Json.MAPPER.treeToValue(hc, HostConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AgentException.invalidArgument("invalid JSON: " + e.getOriginalMessage());
        }
        Containers.Created created = containers.create(call.request().queryParam("name"), config, hostConfig);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", created.id());
        out.put("Warnings", created.warnings());
        call.exchange().sendJson(201, out);
    }

    private void list(ApiCall call) throws IOException {
        ContainerFilters filters = new ContainerFilters(QueryParams.filters(call.request().queryParam("filters")),
                images::find, containers::find);
        boolean all = call.queryFlag("all") || filters.forcesAll();
        int limit = intParam(call, "limit", -1);
        if (limit > 0) {
            all = true;
        }
        Instant now = clock.instant();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Container c : containers.list()) {
            ContainerStatus s = c.record().state().status();
            if (!all && !(s.hasProcess() || s == ContainerStatus.RESTARTING)) {
                continue;
            }
            if (!filters.matches(c.record())) {
                continue;
            }
            out.add(ContainerWire.listItem(c, listedImage(c.record().config().image(), c.record().imageId()), now,
                    containers.networking()));
            if (limit > 0 && out.size() >= limit) {
                break;
            }
        }
        call.exchange().sendJson(200, out);
    }

    /**
     * ps's IMAGE: the name the container was created with while it still names the same image, else the
     * image id (dockerd's list.go refreshImage), so a retag or a forced rmi does not show another image.
     */
    private String listedImage(String ref, String imageId) {
        boolean same = ref != null && images.find(ref).map(i -> i.id().toString().equals(imageId)).orElse(false);
        return same ? ref : imageId;
    }

    private void inspect(ApiCall call) throws IOException {
        call.exchange().sendJson(200, ContainerWire.inspect(containers.get(call.pathParam("id")),
                containers.networking()));
    }

    private void start(ApiCall call) throws IOException {
        Container c = containers.get(call.pathParam("id"));
        if (containers.runner().start(c)) {
            call.exchange().sendNoContent();
        } else {
            call.exchange().send(304, null, new byte[0]);
        }
    }

    private void stop(ApiCall call) throws IOException {
        Container c = containers.get(call.pathParam("id"));
        boolean stopped;
        try {
            stopped = containers.runner().stop(c, timeout(call), call.request().queryParam("signal"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.system("interrupted while stopping " + c.id());
        }
        if (stopped) {
            call.exchange().sendNoContent();
        } else {
            call.exchange().send(304, null, new byte[0]);
        }
    }

    private void restart(ApiCall call) throws IOException {
        Container c = containers.get(call.pathParam("id"));
        try {
            containers.runner().restart(c, timeout(call), call.request().queryParam("signal"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.system("interrupted while restarting " + c.id());
        }
        call.exchange().sendNoContent();
    }

    private void kill(ApiCall call) throws IOException {
        containers.runner().kill(containers.get(call.pathParam("id")), call.request().queryParam("signal"));
        call.exchange().sendNoContent();
    }

    /**
     * Registers the waiter, sends the headers at once (the CLI's {@code docker run} waits for them before it
     * starts the container), then the result when the condition holds.
     */
    private void await(ApiCall call) throws IOException {
        Container c = containers.get(call.pathParam("id"));
        Containers.WaitCondition condition = Containers.WaitCondition.parse(call.request().queryParam("condition"));
        long before = containers.exitsSoFar(c);
        HttpExchange exchange = call.exchange();
        AtomicBoolean done = new AtomicBoolean();
        Thread handler = Thread.currentThread();
        // Before the head: watching for the client's end closes the connection after the response, which the
        // head must say (Connection: close), or the CLI reuses it for the next wait (docker wait a b).
        exchange.onClientGone(() -> {
            if (!done.get()) {
                handler.interrupt();
            }
        });
        OutputStream out = exchange.sendChunked(200, "application/json");
        out.flush();
        ContainerState state;
        try {
            state = containers.await(c, condition, before);
        } catch (InterruptedException e) {
            done.set(true);
            Thread.interrupted();
            return; // the client went away
        }
        done.set(true);
        Thread.interrupted();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("StatusCode", state.exitCode());
        result.put("Error", state.error().isEmpty() ? null : Map.of("Message", state.error()));
        out.write(Json.bytes(result));
        out.write('\n');
        out.close();
    }

    private void rename(ApiCall call) throws IOException {
        containers.rename(containers.get(call.pathParam("id")), call.request().queryParam("name"));
        call.exchange().sendNoContent();
    }

    private void pause(ApiCall call) throws IOException {
        containers.runner().pause(containers.get(call.pathParam("id")));
        call.exchange().sendNoContent();
    }

    private void unpause(ApiCall call) throws IOException {
        containers.runner().unpause(containers.get(call.pathParam("id")));
        call.exchange().sendNoContent();
    }

    private void delete(ApiCall call) throws IOException {
        Container c = containers.get(call.pathParam("id"));
        if (call.queryFlag("link")) {
            throw AgentException.invalidArgument("links are not supported");
        }
        try {
            containers.remove(c, call.queryFlag("force"), call.queryFlag("v")); // v: rm -v, anonymous volumes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.system("interrupted while removing " + c.id());
        }
        call.exchange().sendNoContent();
    }

    private static Integer timeout(ApiCall call) {
        String t = call.request().queryParam("t");
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw AgentException.invalidArgument("invalid value for t: " + t);
        }
    }

    private static int intParam(ApiCall call, String name, int dflt) {
        String v = call.request().queryParam(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw AgentException.invalidArgument("invalid value for " + name + ": " + v);
        }
    }
}
