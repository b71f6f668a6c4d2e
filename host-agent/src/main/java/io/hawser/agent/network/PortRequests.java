package io.hawser.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.common.AgentException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ports a container asks to publish: HostConfig.PortBindings ({@code -p}, as the CLI sends it:
 * {@code {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}}) plus, with PublishAllPorts ({@code -P}),
 * every exposed port not bound explicitly, on any free host port (moby daemon/network.go getPortMapInfo,
 * libnetwork's allocation of an empty HostPort).
 */
public final class PortRequests {

    private PortRequests() {}

    /** Checks the bindings at create time (400 on anything the proxy cannot do). */
    public static void validate(JsonNode portBindings) {
        parse(portBindings, false, Map.of());
    }

    public static List<PortMapping> parse(JsonNode portBindings, boolean publishAll, Map<String, ?> exposedPorts) {
        List<PortMapping> out = new ArrayList<>();
        Set<String> bound = new LinkedHashSet<>();
        if (portBindings != null && portBindings.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = portBindings.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String[] port = containerPort(e.getKey());
                bound.add(port[0] + "/" + port[1]);
                JsonNode list = e.getValue();
                if (list == null || list.isNull() || list.isEmpty()) {
                    out.add(new PortMapping(port[1], Integer.parseInt(port[0]), "", 0));
                    continue;
                }
                for (JsonNode b : list) {
                    String hostIp = b.path("HostIp").asText("");
                    if (!hostIp.isEmpty()) {
                        Subnet.parseAddress(hostIp); // IPv6 host addresses are not proxied yet: a clear 400
                    }
                    out.add(new PortMapping(port[1], Integer.parseInt(port[0]), hostIp, hostPort(b.path("HostPort").asText(""))));
                }
            }
        }
        if (publishAll && exposedPorts != null) {
            for (String key : exposedPorts.keySet()) {
                String[] port = containerPort(key);
                if (bound.add(port[0] + "/" + port[1])) {
                    out.add(new PortMapping(port[1], Integer.parseInt(port[0]), "", 0));
                }
            }
        }
        return out;
    }

    /** {@code 80}, {@code 80/tcp}, {@code 53/udp} to {port, proto}. */
    static String[] containerPort(String key) {
        int slash = key.indexOf('/');
        String port = slash < 0 ? key : key.substring(0, slash);
        String proto = slash < 0 ? "tcp" : key.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            throw AgentException.invalidArgument("published ports: protocol " + proto + " is not supported (tcp or udp)");
        }
        if (port.contains("-")) {
            throw AgentException.invalidArgument("published ports: container port ranges are not supported: " + key);
        }
        return new String[] {Integer.toString(portNumber(port, key, false)), proto};
    }

    private static int hostPort(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        if (value.contains("-")) {
            throw AgentException.invalidArgument("published ports: host port ranges are not supported: " + value);
        }
        return portNumber(value, value, true);
    }

    private static int portNumber(String s, String whole, boolean zeroOk) {
        int p;
        try {
            p = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw AgentException.invalidArgument("invalid port specification: \"" + whole + "\"");
        }
        if (p < (zeroOk ? 0 : 1) || p > 65535) {
            throw AgentException.invalidArgument("invalid port specification: \"" + whole + "\"");
        }
        return p;
    }
}
