package io.hawser.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.volume.Volume;
import io.hawser.agent.volume.Volumes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code /volumes}: list, create, inspect, remove, prune, with dockerd's shapes (moby api/types/volume.Volume:
 * CreatedAt, Driver, Labels, Mountpoint, Name, Options, Scope) and filters (dangling, driver, label, name;
 * prune: label and, from API 1.42, {@code all}: without it only anonymous volumes are pruned).
 */
public final class VolumeEndpoints {

    private static final Set<String> LIST_FILTERS = Set.of("dangling", "driver", "label", "name");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");
    private static final ApiVersion PRUNE_ANONYMOUS_ONLY = new ApiVersion(1, 42);

    private final Volumes volumes;

    private VolumeEndpoints(Volumes volumes) {
        this.volumes = volumes;
    }

    public static EngineApi.Builder register(EngineApi.Builder routes, Volumes volumes) {
        VolumeEndpoints e = new VolumeEndpoints(volumes);
        return routes
                .route("GET", "/volumes", e::list)
                .route("POST", "/volumes/create", e::create)
                .route("POST", "/volumes/prune", e::prune)
                .route("GET", "/volumes/{name}", e::inspect)
                .route("DELETE", "/volumes/{name}", e::delete);
    }

    private void list(ApiCall call) throws IOException {
        Map<String, List<String>> f = filters(call.request().queryParam("filters"), LIST_FILTERS);
        Predicate<Volume> keep = v -> {
            for (String d : f.getOrDefault("dangling", List.of())) {
                boolean dangling = d.equals("true") || d.equals("1");
                if (!d.matches("true|false|1|0")) {
                    throw AgentException.invalidArgument("invalid filter 'dangling=" + d + "'");
                }
                if (volumes.users(v.name()).isEmpty() != dangling) {
                    return false;
                }
            }
            if (f.containsKey("driver") && !f.get("driver").contains(Volume.DRIVER)) {
                return false;
            }
            if (f.containsKey("name") && f.get("name").stream().noneMatch(n -> v.name().contains(n))) {
                return false; // dockerd: a substring match
            }
            return labels(f.getOrDefault("label", List.of()), v, true);
        };
        List<Map<String, Object>> out = new ArrayList<>();
        for (Volume v : volumes.list(keep)) {
            out.add(wire(v));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Volumes", out);
        body.put("Warnings", null);
        call.exchange().sendJson(200, body);
    }

    private void create(ApiCall call) throws IOException {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(call.request().body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AgentException.invalidArgument("invalid JSON: " + e.getOriginalMessage());
        }
        if (body == null || body.isMissingNode() || body.isNull()) {
            body = Json.MAPPER.createObjectNode();
        }
        Volume v = volumes.create(body.path("Name").asText(""), body.path("Driver").asText(""),
                strings(body.path("DriverOpts")), strings(body.path("Labels")));
        call.exchange().sendJson(201, wire(v));
    }

    private void inspect(ApiCall call) throws IOException {
        call.exchange().sendJson(200, wire(volumes.get(call.pathParam("name"))));
    }

    private void delete(ApiCall call) throws IOException {
        volumes.remove(call.pathParam("name"), call.queryFlag("force"));
        call.exchange().sendNoContent();
    }

    private void prune(ApiCall call) throws IOException {
        Map<String, List<String>> f = filters(call.request().queryParam("filters"), PRUNE_FILTERS);
        boolean all = !call.version().isAtLeast(PRUNE_ANONYMOUS_ONLY)
                || f.getOrDefault("all", List.of()).stream().anyMatch(a -> a.equals("true") || a.equals("1"));
        Volumes.Pruned p = volumes.prune(v -> (all || v.anonymous()) && labels(f.getOrDefault("label", List.of()), v, true)
                && labels(f.getOrDefault("label!", List.of()), v, false));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("VolumesDeleted", p.deleted().isEmpty() ? null : p.deleted());
        body.put("SpaceReclaimed", p.spaceReclaimed());
        call.exchange().sendJson(200, body);
    }

    /** label=KEY or KEY=VALUE: all must match (want) or none may (!want). */
    private static boolean labels(List<String> wanted, Volume v, boolean want) {
        for (String l : wanted) {
            int eq = l.indexOf('=');
            String key = eq < 0 ? l : l.substring(0, eq);
            boolean has = v.labels().containsKey(key) && (eq < 0 || v.labels().get(key).equals(l.substring(eq + 1)));
            if (has != want) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Object> wire(Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CreatedAt", v.createdAt());
        m.put("Driver", Volume.DRIVER);
        m.put("Labels", v.labels().isEmpty() ? null : v.labels());
        m.put("Mountpoint", volumes.mountpoint(v.name()).toString());
        m.put("Name", v.name());
        m.put("Options", null);
        m.put("Scope", "local");
        return m;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static Map<String, List<String>> filters(String json, Set<String> allowed) {
        Map<String, List<String>> out = new HashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw AgentException.invalidArgument("invalid filter: " + e.getMessage());
        }
        root.fields().forEachRemaining(f -> {
            if (!allowed.contains(f.getKey())) {
                throw AgentException.invalidArgument("invalid filter '" + f.getKey() + "'");
            }
            List<String> values = new ArrayList<>();
            if (f.getValue().isArray()) {
                f.getValue().forEach(x -> values.add(x.asText()));
            } else {
                f.getValue().fields().forEachRemaining(x -> values.add(x.getKey()));
            }
            out.put(f.getKey(), values);
        });
        return out;
    }
}
