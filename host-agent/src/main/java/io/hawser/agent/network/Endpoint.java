package io.hawser.agent.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A running container's place on the network, kept (in {@code <data-root>/network/endpoints.json}) from its
 * start until its exit, so that an agent restart finds the address and the published ports again.
 *
 * @param mode       {@code bridge}, {@code host} or {@code none}
 * @param endpointId 64 hex digits, as dockerd's EndpointID
 * @param ip         the container's eth0 address (bridge only, else empty)
 * @param veth       the host end of the veth pair (bridge only)
 * @param ports      the published ports as bound (bridge only)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Endpoint(
        @JsonProperty("ContainerId") String containerId,
        @JsonProperty("Mode") String mode,
        @JsonProperty("EndpointId") String endpointId,
        @JsonProperty("Ip") String ip,
        @JsonProperty("PrefixLen") int prefixLen,
        @JsonProperty("Gateway") String gateway,
        @JsonProperty("Mac") String mac,
        @JsonProperty("Veth") String veth,
        @JsonProperty("Ports") List<PortMapping> ports) {

    public Endpoint {
        ip = ip == null ? "" : ip;
        gateway = gateway == null ? "" : gateway;
        mac = mac == null ? "" : mac;
        veth = veth == null ? "" : veth;
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public boolean bridged() {
        return mode.equals(Networking.BRIDGE);
    }
}
