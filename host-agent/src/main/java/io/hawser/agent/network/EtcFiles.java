package io.hawser.agent.network;

import java.util.ArrayList;
import java.util.List;

/**
 * A bridged container's {@code /etc/hosts} and {@code /etc/resolv.conf}, as dockerd writes them (libnetwork
 * etchosts.Build and resolvconf.FilterResolvDNS).
 */
public final class EtcFiles {

    private EtcFiles() {}

    /** dockerd's default entries, then the container's address and hostname. */
    public static String hosts(String hostname, String ip) {
        return "127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "fe00::0\tip6-localnet\n"
                + "ff00::0\tip6-mcastprefix\n"
                + "ff02::1\tip6-allnodes\n"
                + "ff02::2\tip6-allrouters\n"
                + ip + "\t" + hostname + "\n";
    }

    /**
     * The host's resolv.conf without loopback nameservers (127.0.0.0/8, ::1), which mean the host's own
     * resolver and cannot be reached from the container's namespace. dockerd then falls back to Google's
     * public resolvers when none is left; this agent does not (its hosts need not reach the internet), so such
     * a container has no nameserver.
     */
    public static String resolvConf(String host) {
        List<String> out = new ArrayList<>();
        for (String line : host.split("\n", -1)) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver") && (f[1].startsWith("127.") || f[1].equals("::1"))) {
                continue;
            }
            out.add(line);
        }
        return String.join("\n", out);
    }
}
