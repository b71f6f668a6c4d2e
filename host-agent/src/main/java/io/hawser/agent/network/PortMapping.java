package io.hawser.agent.network;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One published port: {@code -p [hostIp:]hostPort:containerPort[/proto]}. Asked for, {@code hostIp} may be
 * empty (all IPv4 addresses, dockerd's 0.0.0.0) and {@code hostPort} 0 (any free port); once bound, both are
 * what the proxy listens on.
 */
public record PortMapping(
        @JsonProperty("Proto") String proto,
        @JsonProperty("ContainerPort") int containerPort,
        @JsonProperty("HostIp") String hostIp,
        @JsonProperty("HostPort") int hostPort) {

    public PortMapping {
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            throw new IllegalArgumentException("protocol must be tcp or udp: " + proto);
        }
        hostIp = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
    }

    /** {@code 80/tcp}, the key of NetworkSettings.Ports and HostConfig.PortBindings. */
    public String key() {
        return containerPort + "/" + proto;
    }

    PortMapping bound(int port) {
        return new PortMapping(proto, containerPort, hostIp, port);
    }
}
