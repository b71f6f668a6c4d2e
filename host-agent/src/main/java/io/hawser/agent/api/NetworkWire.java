package io.hawser.agent.api;

import io.hawser.agent.container.ContainerRecord;
import io.hawser.agent.network.Endpoint;
import io.hawser.agent.network.Networking;
import io.hawser.agent.network.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's network as the Engine API shows it: NetworkSettings of inspect, and Ports and
 * NetworkSettings of list items (shared/reference/dockerd-20.10 container-inspect-running.json,
 * containers-list.json). An endpoint exists while the container runs; a stopped one shows its network with
 * empty addresses, as dockerd's.
 */
final class NetworkWire {

    private NetworkWire() {}

    static Map<String, Object> settings(ContainerRecord r, Networking net) {
        Optional<Endpoint> ep = net.endpoint(r.id());
        String name = Networking.mode(r.hostConfig().networkMode());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Bridge", "");
        m.put("SandboxID", ep.map(Endpoint::endpointId).orElse(""));
        m.put("HairpinMode", false);
        m.put("LinkLocalIPv6Address", "");
        m.put("LinkLocalIPv6PrefixLen", 0);
        m.put("Ports", ep.isPresent() && ep.get().bridged() ? ports(r, ep.get()) : Map.of());
        m.put("SandboxKey", ep.isPresent() && r.state().pid() > 0 ? "/proc/" + r.state().pid() + "/ns/net" : "");
        m.put("SecondaryIPAddresses", null);
        m.put("SecondaryIPv6Addresses", null);
        Map<String, Object> attachment = attachment(name, ep, net);
        for (String k : List.of("EndpointID", "Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen", "IPAddress", "IPPrefixLen",
                "IPv6Gateway", "MacAddress")) {
            m.put(k, attachment.get(k));
        }
        m.put("Networks", Map.of(name, attachment));
        return m;
    }

    /** Networks.NAME: the endpoint's values only on the bridge (host and none have no address of their own). */
    private static Map<String, Object> attachment(String name, Optional<Endpoint> ep, Networking net) {
        boolean bridged = ep.isPresent() && ep.get().bridged();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("IPAMConfig", null);
        a.put("Links", null);
        a.put("Aliases", null);
        a.put("NetworkID", net.networkId(name));
        a.put("EndpointID", ep.map(Endpoint::endpointId).orElse(""));
        a.put("Gateway", bridged ? ep.get().gateway() : "");
        a.put("IPAddress", bridged ? ep.get().ip() : "");
        a.put("IPPrefixLen", bridged ? ep.get().prefixLen() : 0);
        a.put("IPv6Gateway", "");
        a.put("GlobalIPv6Address", "");
        a.put("GlobalIPv6PrefixLen", 0);
        a.put("MacAddress", bridged ? ep.get().mac() : "");
        a.put("DriverOpts", null);
        return a;
    }

    /** {@code "80/tcp": [{"HostIp", "HostPort"}]}, an exposed port not published mapped to null. */
    private static Map<String, Object> ports(ContainerRecord r, Endpoint ep) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> exposed = r.config().exposedPorts();
        if (exposed != null) {
            for (String key : exposed.keySet()) {
                out.put(key.contains("/") ? key : key + "/tcp", null);
            }
        }
        for (PortMapping p : ep.ports()) {
            @SuppressWarnings("unchecked")
            List<Map<String, String>> list = out.get(p.key()) instanceof List<?> l ? (List<Map<String, String>>) l : new ArrayList<>();
            list.add(Map.of("HostIp", p.hostIp(), "HostPort", Integer.toString(p.hostPort())));
            out.put(p.key(), list);
        }
        return out;
    }

    /** ps's Ports: published ports with their host side, exposed ones with only PrivatePort and Type. */
    static List<Map<String, Object>> listPorts(ContainerRecord r, Networking net) {
        List<Map<String, Object>> out = new ArrayList<>();
        Optional<Endpoint> ep = net.endpoint(r.id());
        List<PortMapping> published = ep.map(Endpoint::ports).orElse(List.of());
        for (PortMapping p : published) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("IP", p.hostIp());
            m.put("PrivatePort", p.containerPort());
            m.put("PublicPort", p.hostPort());
            m.put("Type", p.proto());
            out.add(m);
        }
        Map<String, Object> exposed = r.config().exposedPorts();
        if (exposed != null) {
            for (String key : exposed.keySet()) {
                String[] f = (key.contains("/") ? key : key + "/tcp").split("/");
                boolean isPublished = published.stream().anyMatch(p -> p.key().equals(f[0] + "/" + f[1]));
                if (!isPublished && f[0].matches("\\d+")) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("PrivatePort", Integer.parseInt(f[0]));
                    m.put("Type", f[1]);
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** The list item's NetworkSettings: {@code {"Networks": {NAME: {...}}}}. */
    static Map<String, Object> listNetworks(ContainerRecord r, Networking net) {
        String name = Networking.mode(r.hostConfig().networkMode());
        return Map.of("Networks", Map.of(name, attachment(name, net.endpoint(r.id()), net)));
    }
}
