package io.hawser.agent.api;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.network.Networking;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /networks} and {@code GET /networks/{id}}: the three built-in networks (bridge, host, none), so
 * {@code docker network ls} and {@code docker network inspect} work. User-defined networks are not supported.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Network">Engine API: Network</a>
 */
public final class NetworkEndpoints {

    private static final List<String> NAMES = List.of(Networking.BRIDGE, Networking.HOST, Networking.NONE);
    private final Networking net;

    private NetworkEndpoints(Networking net) {
        this.net = net;
    }

    public static EngineApi.Builder register(EngineApi.Builder routes, Networking net) {
        NetworkEndpoints e = new NetworkEndpoints(net);
        return routes.route("GET", "/networks", e::list).route("GET", "/networks/{id}", e::inspect);
    }

    private void list(ApiCall call) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : NAMES) {
            out.add(network(name));
        }
        call.exchange().sendJson(200, out);
    }

    private void inspect(ApiCall call) throws IOException {
        String id = call.pathParam("id");
        for (String name : NAMES) {
            if (name.equals(id) || (id.length() >= 1 && net.networkId(name).startsWith(id))) {
                call.exchange().sendJson(200, network(name));
                return;
            }
        }
        throw AgentException.notFound("network " + id + " not found");
    }

    /** moby api/types.NetworkResource, the fields the CLI shows. */
    private Map<String, Object> network(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Id", net.networkId(name));
        m.put("Created", ContainerWire.ZERO_TIME);
        m.put("Scope", "local");
        m.put("Driver", name.equals(Networking.BRIDGE) ? "bridge" : name.equals(Networking.HOST) ? "host" : "null");
        m.put("EnableIPv6", false);
        List<Map<String, String>> config = new ArrayList<>();
        if (name.equals(Networking.BRIDGE)) {
            net.subnet().ifPresent(s -> config.add(Map.of("Subnet", s.toString(), "Gateway", s.gateway())));
        }
        m.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", config));
        m.put("Internal", false);
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        m.put("Containers", Map.of());
        m.put("Options", name.equals(Networking.BRIDGE) ? Map.of("com.docker.network.bridge.name", net.bridgeName()) : Map.of());
        m.put("Labels", Map.of());
        return m;
    }

}
