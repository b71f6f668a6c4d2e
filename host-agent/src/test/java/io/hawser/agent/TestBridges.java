package io.hawser.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every IT agent gets a bridge of its own instead of the default {@code hawser0} (several agents, and other
 * engineers' builds, share this machine): named after its data root, so an agent restarted on the same data
 * root finds its bridge again. The bridges are deleted when the test JVM exits, after every agent is gone.
 */
final class TestBridges {

    private static final Set<String> MADE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestBridges::deleteAll, "test-bridges-cleanup"));
    }

    private TestBridges() {}

    /** {@code hwt} and 8 hex digits: 11 characters, within IFNAMSIZ. */
    static String forDataRoot(java.nio.file.Path dataRoot) {
        String name = "hwt" + String.format("%08x", dataRoot.toAbsolutePath().normalize().toString().hashCode());
        MADE.add(name);
        return name;
    }

    static void deleteAll() {
        for (String name : MADE) {
            delete(name);
        }
    }

    /** {@code ip link del} if it exists; quiet otherwise. */
    static void delete(String name) {
        try {
            Process p = new ProcessBuilder("ip", "link", "del", "dev", name).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            // no ip(8): nothing was made either
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
