package io.hawser.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.exec.ExecConfig;
import io.hawser.agent.exec.ExecInstance;
import io.hawser.agent.exec.Execs;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exec endpoints ({@code docker exec}) and the two terminal resizes: create, start
 * ({@link ExecStartHandler}), inspect, {@code /exec/{id}/resize} and {@code /containers/{id}/resize}.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Exec">Engine API: Exec</a>
 */
public final class ExecEndpoints {

    private final Execs execs;

    private ExecEndpoints(Execs execs) {
        this.execs = execs;
    }

    public static EngineApi.Builder register(EngineApi.Builder routes, Execs execs) {
        ExecEndpoints e = new ExecEndpoints(execs);
        return routes
                .route("POST", "/containers/{id}/exec", e::create)
                .route("POST", "/exec/{id}/start", new ExecStartHandler(execs))
                .route("GET", "/exec/{id}/json", e::inspect)
                .route("POST", "/exec/{id}/resize", e::resize)
                .route("POST", "/containers/{id}/resize", e::resizeContainer);
    }

    private void create(ApiCall call) throws IOException {
        ExecConfig cfg;
        try {
            JsonNode body = Json.MAPPER.readTree(call.request().body());
            if (body == null || !body.isObject()) {
                throw AgentException.invalidArgument("invalid JSON: the request body must be a JSON object");
            }
            cfg = Json.MAPPER.treeToValue(body, ExecConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AgentException.invalidArgument("invalid JSON: " + e.getOriginalMessage());
        }
        ExecInstance e = execs.create(call.pathParam("id"), cfg);
        call.exchange().sendJson(201, Map.of("Id", e.id()));
    }

    /** dockerd's field order (api/types/backend ExecInspect); ExitCode is null until the command ended. */
    private void inspect(ApiCall call) throws IOException {
        ExecInstance e = execs.get(call.pathParam("id"));
        ExecConfig cfg = e.config();
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("tty", cfg.tty());
        process.put("entrypoint", cfg.cmd().get(0));
        process.put("arguments", List.copyOf(cfg.cmd().subList(1, cfg.cmd().size())));
        process.put("privileged", cfg.privileged());
        process.put("user", cfg.user());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ID", e.id());
        out.put("Running", e.running());
        out.put("ExitCode", e.exitCode().isPresent() ? e.exitCode().getAsInt() : null);
        out.put("ProcessConfig", process);
        out.put("OpenStdin", cfg.attachStdin());
        out.put("OpenStderr", cfg.attachStderr());
        out.put("OpenStdout", cfg.attachStdout());
        out.put("CanRemove", false);
        out.put("ContainerID", e.containerId());
        out.put("DetachKeys", cfg.detachKeys());
        out.put("Pid", e.pid());
        call.exchange().sendJson(200, out);
    }

    private void resize(ApiCall call) throws IOException {
        ExecInstance e = execs.get(call.pathParam("id"));
        execs.resize(e, size(call, "h"), size(call, "w"));
        call.exchange().send(200, "text/plain; charset=utf-8", new byte[0]);
    }

    /** Registered here rather than with the container endpoints: the terminal plumbing is shared with exec. */
    private void resizeContainer(ApiCall call) throws IOException {
        execs.resizeContainer(call.pathParam("id"), size(call, "h"), size(call, "w"));
        call.exchange().send(200, "text/plain; charset=utf-8", new byte[0]);
    }

    private static int size(ApiCall call, String name) {
        String v = call.request().queryParam(name);
        try {
            return v == null || v.isEmpty() ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw AgentException.invalidArgument("invalid value for " + name + ": " + v);
        }
    }
}
