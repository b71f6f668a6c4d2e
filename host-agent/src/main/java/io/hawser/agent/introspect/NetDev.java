package io.hawser.agent.introspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interface counters of a network namespace, from {@code /proc/<pid>/net/dev} of a process inside it
 * (proc(5)): receive bytes, packets, errs, drop, fifo, frame, compressed, multicast, then transmit bytes,
 * packets, errs, drop, ... Loopback is left out: dockerd reports only the container's endpoints.
 */
public final class NetDev {

    /** One interface's counters, as {@code networks.<name>} of {@code docker stats}. */
    public record Counters(long rxBytes, long rxPackets, long rxErrors, long rxDropped,
                           long txBytes, long txPackets, long txErrors, long txDropped) {}

    private NetDev() {}

    /**
     * Empty when the process is gone, or when it shares the agent's network namespace (a container on the
     * host's network has no endpoint of its own, and dockerd reports none for it).
     */
    public static Map<String, Counters> read(long pid) {
        Path file = Path.of("/proc", Long.toString(pid), "net", "dev");
        try {
            if (Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")))) {
                return Map.of();
            }
            return parse(Files.readAllLines(file));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            return Map.of(); // the process exited while we read (ESRCH): no counters, as for a stopped container
        }
    }

    static Map<String, Counters> parse(List<String> lines) {
        Map<String, Counters> out = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue; // the two header lines
            }
            String name = line.substring(0, colon).strip();
            if (name.equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (f.length < 12) {
                continue;
            }
            out.put(name, new Counters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
        }
        return out;
    }
}
