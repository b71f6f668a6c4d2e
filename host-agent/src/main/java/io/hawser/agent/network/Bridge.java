package io.hawser.agent.network;

import io.hawser.agent.common.AgentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host side: the bridge (created when first needed, kept afterwards as dockerd keeps docker0) and the
 * veth pair of each container. No NAT and no forwarding rules: containers reach each other over the bridge and
 * the host's own addresses through the gateway; published ports go through the agent's proxies.
 */
final class Bridge {

    private static final Pattern INET = Pattern.compile("\\binet (\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)");
    private static final Pattern ROUTE = Pattern.compile("^(\\d+\\.\\d+\\.\\d+\\.\\d+)(?:/(\\d+))?\\s");

    private Bridge() {}

    /** Linux IFNAMSIZ - 1, and the characters ip(8) accepts without quoting. */
    static String checkName(String name) {
        if (name.isEmpty() || name.length() > 15 || !name.matches("[A-Za-z0-9_.-]+")) {
            throw AgentException.invalidArgument("invalid bridge name '" + name + "': 1 to 15 of A-Z a-z 0-9 _ . -");
        }
        return name;
    }

    static boolean exists(String name) {
        try {
            IpCommand.run("link", "show", "dev", name);
            return true;
        } catch (AgentException e) {
            return false;
        }
    }

    /** The bridge's IPv4 subnet, if it exists and has an address. */
    static Optional<Subnet> subnetOf(String name) {
        if (!exists(name)) {
            return Optional.empty();
        }
        Matcher m = INET.matcher(IpCommand.run("-4", "addr", "show", "dev", name));
        if (!m.find()) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(m.group(2));
        long addr = Subnet.parseAddress(m.group(1));
        return Optional.of(new Subnet(addr & Subnet.mask(prefix), prefix));
    }

    /** The destinations of the host's IPv4 routes (main table), to pick a subnet that collides with none. */
    static List<Subnet> hostRoutes() {
        List<Subnet> out = new ArrayList<>();
        for (String line : IpCommand.run("-4", "route", "show", "table", "all").split("\n")) {
            Matcher m = ROUTE.matcher(line.strip() + " ");
            if (m.find()) {
                int prefix = m.group(2) == null ? 32 : Integer.parseInt(m.group(2));
                if (prefix >= 8 && prefix <= 30) {
                    long a = Subnet.parseAddress(m.group(1));
                    out.add(new Subnet(a & Subnet.mask(prefix), prefix));
                } else if (prefix > 30) {
                    long a = Subnet.parseAddress(m.group(1));
                    out.add(new Subnet(a & Subnet.mask(30), 30));
                }
            }
        }
        return out;
    }

    /** The first 172.31.N.0/24, then 10.231.N.0/24, that no host route overlaps. */
    static Subnet pickFree(List<Subnet> routes) {
        for (String base : List.of("172.31.%d.0/24", "10.231.%d.0/24")) {
            for (int n = 0; n < 256; n++) {
                Subnet s = Subnet.parse(base.formatted(n));
                if (routes.stream().noneMatch(s::overlaps)) {
                    return s;
                }
            }
        }
        throw AgentException.system("no free subnet for the bridge in 172.31.0.0/16 or 10.231.0.0/16; set --bridge-subnet");
    }

    /** Creates the bridge with the gateway address, or adds the address to an existing one; brings it up. */
    static void ensure(String name, Subnet subnet) {
        List<String> cmds = new ArrayList<>();
        if (!exists(name)) {
            cmds.add("link add name " + name + " type bridge");
        }
        if (subnetOf(name).filter(subnet::equals).isEmpty()) {
            cmds.add("addr add " + subnet.gateway() + "/" + subnet.prefix() + " dev " + name);
        }
        cmds.add("link set dev " + name + " up");
        IpCommand.batch(0, cmds);
    }

    /**
     * The veth pair, its container end created right in the init's network namespace as {@code eth0} (so no
     * half-moved pair is ever left: if the init dies, the namespace and both ends go), the host end on the
     * bridge; then, inside, the address, lo, eth0 and the default route through the gateway.
     */
    static void connect(String bridge, Endpoint ep, int initPid) {
        IpCommand.batch(0, List.of(
                "link add name " + ep.veth() + " type veth peer name eth0 address " + ep.mac() + " netns " + initPid,
                "link set dev " + ep.veth() + " master " + bridge + " up"));
        IpCommand.batch(initPid, List.of(
                "link set dev lo up",
                "addr add " + ep.ip() + "/" + ep.prefixLen() + " dev eth0",
                "link set dev eth0 up",
                "route add default via " + ep.gateway() + " dev eth0"));
    }

    /** {@code --network none}: only lo, up. */
    static void loopbackOnly(int initPid) {
        IpCommand.batch(initPid, List.of("link set dev lo up"));
    }

    /** Removes a host veth end that outlived its container (normally it goes with the namespace). */
    static void deleteLink(String name) {
        if (!name.isEmpty() && exists(name)) {
            try {
                IpCommand.run("link", "del", "dev", name);
            } catch (AgentException e) {
                // gone meanwhile: the namespace was being torn down
            }
        }
    }
}
