package io.hawser.agent.network;

import io.hawser.agent.common.AgentException;

/**
 * An IPv4 subnet, {@code 172.31.7.0/24}: the bridge's network. Host index 1 is the gateway (the bridge's own
 * address, as docker0's 172.17.0.1), containers get 2 and up; the network and broadcast addresses are never
 * handed out.
 *
 * @param network the network address as an unsigned 32-bit value (host bits zero)
 */
public record Subnet(long network, int prefix) {

    public Subnet {
        if (prefix < 8 || prefix > 30) {
            throw AgentException.invalidArgument("bridge subnet prefix must be between /8 and /30, got /" + prefix);
        }
        if ((network & ~mask(prefix)) != 0) {
            throw AgentException.invalidArgument("bridge subnet " + format(network) + "/" + prefix + " has host bits set");
        }
    }

    /** Parses {@code A.B.C.D/N}. */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw AgentException.invalidArgument("invalid subnet '" + cidr + "': expected A.B.C.D/N");
        }
        try {
            return new Subnet(parseAddress(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw AgentException.invalidArgument("invalid subnet '" + cidr + "': expected A.B.C.D/N");
        }
    }

    public static long parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw AgentException.invalidArgument("invalid IPv4 address '" + dotted + "'");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                throw AgentException.invalidArgument("invalid IPv4 address '" + dotted + "'");
            }
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    public static String format(long address) {
        return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "." + (address & 255);
    }

    static long mask(int prefix) {
        return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /** Host indexes 1 .. size-2 are usable. */
    public long size() {
        return 1L << (32 - prefix);
    }

    /** The address at host index {@code i} (1 is the gateway). */
    public String address(long i) {
        if (i < 1 || i > size() - 2) {
            throw new IllegalArgumentException("host index " + i + " outside " + this);
        }
        return format(network + i);
    }

    public String gateway() {
        return address(1);
    }

    public long indexOf(String address) {
        long a = parseAddress(address);
        return contains(a) ? a - network : -1;
    }

    public boolean contains(long address) {
        return (address & mask(prefix)) == network;
    }

    public boolean overlaps(Subnet other) {
        int p = Math.min(prefix, other.prefix);
        return (network & mask(p)) == (other.network & mask(p));
    }

    /**
     * dockerd's MAC for an address (libnetwork netutils.GenerateMACFromIP): 02:42 then the four address bytes,
     * locally administered, unique as long as the addresses are.
     */
    public static String macFor(String address) {
        long a = parseAddress(address);
        return String.format("02:42:%02x:%02x:%02x:%02x", (a >> 24) & 255, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
