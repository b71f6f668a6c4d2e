package io.hawser.agent.network;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The networks of this agent's containers: {@code bridge} (the default: an address on the agent's bridge,
 * published ports), {@code host} (the host's namespace) and {@code none} (only lo). A start calls
 * {@link #prepare} before the container's root is mounted (address, ports bound, so conflicts fail early),
 * {@link #wire} once the init exists in its namespaces (the shim's {@code pid}, before {@code go}), and
 * {@link #release} after its exit or a failed start.
 */
public final class Networking {

    private static final Logger LOG = Logger.getLogger(Networking.class.getName());
    public static final String BRIDGE = "bridge";
    public static final String HOST = "host";
    public static final String NONE = "none";
    public static final String DEFAULT_BRIDGE_NAME = "hawser0";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NetworkState state;
    private final String bridgeName;
    private final String configuredSubnet;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, List<PortProxy>> proxies = new HashMap<>();
    private String storedSubnet;
    private Subnet subnet;

    private Networking(NetworkState state, String bridgeName, String configuredSubnet) {
        this.state = state;
        this.bridgeName = Bridge.checkName(bridgeName);
        this.configuredSubnet = configuredSubnet == null ? "" : configuredSubnet;
        if (!this.configuredSubnet.isEmpty()) {
            Subnet.parse(this.configuredSubnet);
        }
    }

    /** @param subnet {@code A.B.C.D/N}, or empty to keep the bridge's or pick a free one when first needed */
    public static Networking open(Path dataRoot, String bridgeName, String subnet) {
        Networking n = new Networking(new NetworkState(dataRoot.resolve("network")), bridgeName, subnet);
        NetworkState.Stored s = n.state.load();
        n.storedSubnet = s.subnet();
        n.endpoints.putAll(s.endpoints());
        return n;
    }

    /** HostConfig.NetworkMode to one of ours: "default" is the bridge, as in dockerd. */
    public static String mode(String networkMode) {
        return switch (networkMode == null ? "" : networkMode) {
            case "", "default", BRIDGE -> BRIDGE;
            case HOST -> HOST;
            case NONE -> NONE;
            default -> throw AgentException.notFound("network " + networkMode + " not found");
        };
    }

    /** A stable NetworkID for {@code bridge}, {@code host} or {@code none} (64 hex digits, as dockerd's). */
    public String networkId(String name) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("hawser-network:" + bridgeName + ":" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String bridgeName() {
        return bridgeName;
    }

    /** The bridge's subnet once it was set up (by this run or an earlier one). */
    public synchronized Optional<Subnet> subnet() {
        if (subnet != null) {
            return Optional.of(subnet);
        }
        return Optional.ofNullable(storedSubnet).map(Subnet::parse);
    }

    public synchronized Optional<Endpoint> endpoint(String containerId) {
        return Optional.ofNullable(endpoints.get(containerId));
    }

    /**
     * Allocates the container's endpoint: for the bridge an address and the published ports, bound at once
     * (a port in use fails the start with dockerd's words before anything runs). Ports are ignored on host
     * and none, as dockerd discards them there.
     */
    public synchronized Endpoint prepare(String containerId, String containerName, String networkMode, List<PortMapping> ports) {
        release(containerId);
        String mode = mode(networkMode);
        String epId = HexFormat.of().formatHex(random(32));
        if (!mode.equals(BRIDGE)) {
            return remember(new Endpoint(containerId, mode, epId, "", 0, "", "", "", List.of()), List.of());
        }
        Subnet net = bridge();
        String ip = allocate(net);
        List<PortProxy> bound = new ArrayList<>();
        List<PortMapping> published = new ArrayList<>();
        for (PortMapping m : ports) {
            try {
                PortProxy p = PortProxy.open(m, ip);
                bound.add(p);
                published.add(m.bound(p.port()));
            } catch (IOException e) {
                bound.forEach(PortProxy::close);
                String where = m.hostIp() + ":" + m.hostPort();
                String why = allocatedHere(m) ? "Bind for " + where + " failed: port is already allocated"
                        : "Error starting userland proxy: listen " + m.proto() + "4 " + where + ": bind: "
                                + (e instanceof BindException ? "address already in use" : e.getMessage());
                throw AgentException.system("driver failed programming external connectivity on endpoint " + containerName
                        + " (" + epId + "): " + why);
            }
        }
        Endpoint ep = new Endpoint(containerId, mode, epId, ip, net.prefix(), net.gateway(), Subnet.macFor(ip), vethName(), published);
        return remember(ep, bound);
    }

    private Endpoint remember(Endpoint ep, List<PortProxy> bound) {
        endpoints.put(ep.containerId(), ep);
        proxies.put(ep.containerId(), bound);
        try {
            persist();
        } catch (AgentException e) {
            release(ep.containerId());
            throw e;
        }
        return ep;
    }

    /** Wires the endpoint into the init's network namespace: the veth pair and addresses, or lo for none. */
    public void wire(Endpoint ep, int initPid) {
        switch (ep.mode()) {
            case BRIDGE -> {
                try {
                    Bridge.connect(bridgeName, ep, initPid);
                } catch (AgentException e) {
                    synchronized (this) {
                        subnet = null; // the bridge may be gone (deleted by hand): the next start sets it up again
                    }
                    throw e;
                }
            }
            case NONE -> Bridge.loopbackOnly(initPid);
            default -> { }
        }
    }

    /**
     * The container's /etc/hosts and /etc/resolv.conf in its init layer ({@code etcDir}), for a bridged
     * endpoint: its address and hostname, the host's nameservers without loopback ones. Host and none keep
     * what create wrote.
     */
    public static void writeEtcFiles(Path etcDir, String hostname, Endpoint ep) {
        if (!ep.bridged()) {
            return;
        }
        try {
            Files.writeString(etcDir.resolve("hosts"), EtcFiles.hosts(hostname, ep.ip()));
            Path hostResolv = Path.of("/etc/resolv.conf");
            String resolv = Files.isReadable(hostResolv) ? Files.readString(hostResolv, StandardCharsets.UTF_8) : "";
            Files.writeString(etcDir.resolve("resolv.conf"), EtcFiles.resolvConf(resolv));
        } catch (IOException e) {
            throw AgentException.system("write /etc/hosts and /etc/resolv.conf into " + etcDir, e);
        }
    }

    /** After an exit or a failed start: the proxies close, the address is free (the veth went with the namespace). */
    public synchronized void release(String containerId) {
        List<PortProxy> ps = proxies.remove(containerId);
        if (ps != null) {
            ps.forEach(PortProxy::close);
        }
        if (endpoints.remove(containerId) != null) {
            persist();
        }
    }

    /**
     * At agent start, after re-adoption: the running containers' published ports are bound again (they were
     * down while the agent was), every other endpoint is a leftover of a crash and is released, its veth
     * deleted if it somehow survived.
     */
    public synchronized void adoptOnly(Set<String> running) {
        for (Endpoint ep : List.copyOf(endpoints.values())) {
            if (!running.contains(ep.containerId())) {
                release(ep.containerId());
                Bridge.deleteLink(ep.veth());
                continue;
            }
            if (proxies.containsKey(ep.containerId())) {
                continue;
            }
            List<PortProxy> bound = new ArrayList<>();
            for (PortMapping m : ep.ports()) {
                try {
                    bound.add(PortProxy.open(m, ep.ip()));
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot publish " + m.hostIp() + ":" + m.hostPort() + " for container "
                            + ep.containerId() + " again: " + e.getMessage());
                }
            }
            proxies.put(ep.containerId(), bound);
        }
    }

    private boolean allocatedHere(PortMapping m) {
        for (Endpoint ep : endpoints.values()) {
            for (PortMapping o : ep.ports()) {
                if (o.proto().equals(m.proto()) && o.hostPort() == m.hostPort() && (o.hostIp().equals(m.hostIp())
                        || o.hostIp().equals("0.0.0.0") || m.hostIp().equals("0.0.0.0"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The lowest free address from .2 up (IPAM: the endpoints are the allocations). */
    private String allocate(Subnet net) {
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (Endpoint ep : endpoints.values()) {
            if (ep.bridged()) {
                used.add(net.indexOf(ep.ip()));
            }
        }
        for (long i = 2; i <= net.size() - 2; i++) {
            if (!used.contains(i)) {
                return net.address(i);
            }
        }
        throw AgentException.system("no free address left on bridge " + bridgeName + " (" + net + ")");
    }

    /** The bridge, set up on first use: configured subnet, else the existing bridge's, else the stored, else a free one. */
    private Subnet bridge() {
        if (subnet != null) {
            return subnet;
        }
        Subnet s;
        Optional<Subnet> existing = Bridge.subnetOf(bridgeName);
        if (!configuredSubnet.isEmpty()) {
            s = Subnet.parse(configuredSubnet);
        } else if (existing.isPresent()) {
            s = existing.get();
        } else {
            List<Subnet> routes = Bridge.hostRoutes();
            Subnet stored = storedSubnet == null ? null : Subnet.parse(storedSubnet);
            s = stored != null && routes.stream().noneMatch(stored::overlaps) ? stored : Bridge.pickFree(routes);
        }
        Bridge.ensure(bridgeName, s);
        subnet = s;
        storedSubnet = s.toString();
        persist();
        LOG.info("bridge " + bridgeName + " up with " + s.gateway() + "/" + s.prefix());
        return s;
    }

    private String vethName() {
        while (true) {
            String name = "veth" + HexFormat.of().formatHex(random(4)).substring(0, 7);
            if (endpoints.values().stream().noneMatch(e -> e.veth().equals(name))) {
                return name;
            }
        }
    }

    private void persist() {
        state.save(storedSubnet, endpoints);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
