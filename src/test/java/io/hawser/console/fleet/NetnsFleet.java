package io.hawser.console.fleet;

import io.hawser.console.testing.AgentCleanup;
import io.hawser.console.testing.AgentProcess;
import io.hawser.console.testing.Commands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Several real hosts on one machine for console ITs: one real agent ({@code host-agent/target/hawser-agent.jar}) per
 * network namespace, each with its own address, data root, socket, exec root, cgroup parent and bridge, enrolled into
 * the console under test.
 *
 * <pre>
 *  root namespace                      hub namespace (hwf-TAG-hub)            agent namespace i (hwf-TAG-a{i})
 *  console 127.0.0.1:PORT              bridge hwbr 10.213.0.1/24              uplink 10.213.0.{10+i}/24 (veth)
 *    ^                                   ports ha{i} (veth peers) ----------    agent --console-url http://10.213.0.1:8080
 *    |  in-process Relay.unixToTcp       Relay.main (own JVM) on 10.213.0.1:8080   its bridge hwf{i} 172.30.{i}.0/24
 *    +---- DIR/console.sock  <-----------+ (unix socket: paths are shared by all namespaces)
 * </pre>
 *
 * The root namespace gets no address and no interface: traffic is only loopback and addresses inside namespaces made
 * here. {@link Agent#linkDown()} sets the agent's uplink down inside its namespace, which cuts that host (and only
 * it) off the console. Processes enter namespaces with {@code nsenter --net} (not {@code ip netns exec}, which would
 * remount {@code /sys} and so hide the cgroup hierarchy from the agent).
 *
 * <p>{@link #close()} removes everything, also after a failed start: each agent's containers (docker rm -f through its
 * own socket, before it stops), the agents (SIGKILL by PID), leftover shims and cgroups, mounts under the fleet's
 * directory, the relays, the namespaces (and with them every veth and bridge), the directory.
 */
public final class NetnsFleet implements AutoCloseable {

    static final String HUB_ADDRESS = "10.213.0.1";
    static final int HUB_PORT = 8080;
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private final Path dir;
    private final String hub = "hwf-" + tag + "-hub";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Agent> agents = new ArrayList<>();
    private Relay rootRelay;
    private Process hubRelay;

    private NetnsFleet() throws IOException {
        // Short: the agents' sockets and exec roots live below it (unix socket paths hold 107 bytes).
        dir = Files.createTempDirectory(Path.of("/tmp"), "hwf-" + tag + "-");
    }

    /**
     * Starts {@code count} agents, each enrolling with the join token {@code joinToken.apply(i)} (i from 1), into the
     * console listening on {@code 127.0.0.1:consolePort}. On failure everything made so far is removed again.
     */
    public static NetnsFleet start(int consolePort, int count, IntFunction<String> joinToken) throws Exception {
        AgentProcess.jar(); // fails early, with how to build it
        NetnsFleet fleet = new NetnsFleet();
        try {
            fleet.network(count);
            fleet.relays(consolePort);
            for (int i = 1; i <= count; i++) {
                fleet.agents.get(i - 1).start(joinToken.apply(i));
            }
            return fleet;
        } catch (Exception | Error e) {
            try {
                fleet.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The console as the agents reach it: through the relay on the hub's address. */
    public static URI consoleUrl() {
        return URI.create("http://" + HUB_ADDRESS + ":" + HUB_PORT);
    }

    /** Agent {@code i}, counted from 1. */
    public Agent agent(int i) {
        return agents.get(i - 1);
    }

    public List<Agent> agents() {
        return List.copyOf(agents);
    }

    /** A short tag unique to this fleet (in namespace, cgroup and file names). */
    public String tag() {
        return tag;
    }

    /** The fleet's own directory (data roots, sockets, logs); removed by {@link #close()}. */
    public Path dir() {
        return dir;
    }

    private void network(int count) throws IOException, InterruptedException {
        addNamespace(hub);
        ip("-n", hub, "link", "set", "lo", "up");
        ip("-n", hub, "link", "add", "hwbr", "type", "bridge");
        ip("-n", hub, "addr", "add", HUB_ADDRESS + "/24", "dev", "hwbr");
        ip("-n", hub, "link", "set", "hwbr", "up");
        for (int i = 1; i <= count; i++) {
            Agent agent = new Agent(i);
            agents.add(agent);
            addNamespace(agent.namespace);
            ip("-n", agent.namespace, "link", "set", "lo", "up");
            // Made inside the hub with its peer straight in the agent's namespace: no name ever exists in the root one.
            ip("-n", hub, "link", "add", "ha" + i, "type", "veth", "peer", "name", Agent.UPLINK, "netns", agent.namespace);
            ip("-n", hub, "link", "set", "ha" + i, "master", "hwbr", "up");
            ip("-n", agent.namespace, "addr", "add", agent.address + "/24", "dev", Agent.UPLINK);
            ip("-n", agent.namespace, "link", "set", Agent.UPLINK, "up");
        }
    }

    private void addNamespace(String name) throws IOException, InterruptedException {
        ip("netns", "add", name);
        namespaces.add(name);
    }

    private void relays(int consolePort) throws IOException, InterruptedException {
        Path socket = dir.resolve("console.sock");
        rootRelay = Relay.unixToTcp(socket, new InetSocketAddress("127.0.0.1", consolePort));
        Path log = dir.resolve("hub-relay.log");
        hubRelay = new ProcessBuilder("nsenter", "--net=/run/netns/" + hub, JAVA.toString(), "-Xmx32m", "-Xss512k",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", testClasses(), Relay.class.getName(),
                HUB_ADDRESS, Integer.toString(HUB_PORT), socket.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(hubRelay.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!Relay.READY.equals(first)) {
            throw new IllegalStateException("the hub relay did not start: " + first);
        }
        // Keep draining its output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                Files.write(log, out.lines().toList());
            } catch (IOException | java.io.UncheckedIOException ignored) {
                // it was killed
            }
        }, "hub-relay-output");
        drain.setDaemon(true);
        drain.start();
    }

    private static String testClasses() {
        try {
            return Path.of(Relay.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (Agent agent : agents) {
            attempt(failures, agent.process::close); // containers, the agent, shims, cgroups, mounts, its files
        }
        attempt(failures, () -> AgentCleanup.unmountBelow(dir));
        attempt(failures, () -> {
            if (hubRelay != null && hubRelay.isAlive()) {
                hubRelay.destroyForcibly();
                hubRelay.waitFor(30, TimeUnit.SECONDS);
            }
        });
        attempt(failures, () -> {
            if (rootRelay != null) {
                rootRelay.close();
            }
        });
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String ns = namespaces.get(i);
            attempt(failures, () -> ip("netns", "delete", ns));
        }
        attempt(failures, () -> AgentCleanup.deleteTree(dir));
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** One host: a real agent in its own network namespace. */
    public final class Agent {

        /** The agent's end of its veth, inside its namespace. */
        public static final String UPLINK = "uplink";

        private final int index;
        private final String namespace;
        private final String address;
        private final AgentProcess process;

        private Agent(int index) {
            this.index = index;
            this.namespace = "hwf-" + tag + "-a" + index;
            this.address = "10.213.0." + (10 + index);
            Path home = dir.resolve("a" + index);
            this.process = AgentProcess.create(new AgentProcess.Layout(home, home.resolve("docker.sock"),
                            Path.of("/tmp/hwf-" + tag + "-r" + index), // short: shim sockets live below it
                            "hawser-fleetit-" + tag + "-a" + index, "hwf" + index), consoleUrl().toString())
                    .inNamespace(namespace).bridgeSubnet("172.30." + index + ".0/24").jvmOptions("-Xmx128m");
        }

        private void start(String joinToken) throws IOException {
            process.start(joinToken);
        }

        public int index() {
            return index;
        }

        /** The agent's network namespace (its name under /run/netns). */
        public String namespace() {
            return namespace;
        }

        /** Its address on the hub's subnet. */
        public String address() {
            return address;
        }

        /** Its Docker Engine API socket (for DOCKER_HOST=unix://...). */
        public Path socket() {
            return process.socket();
        }

        public Path dataRoot() {
            return process.dataRoot();
        }

        public String cgroupParent() {
            return process.layout().cgroupParent();
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Its credential file, there once it enrolled. */
        public Path credentialFile() {
            return process.credentialFile();
        }

        /** The host id the console gave it, from its credential ({@code <hostId>.<secret>}); empty before enrollment. */
        public Optional<UUID> enrolledHostId() throws IOException {
            return Optional.ofNullable(process.hostId());
        }

        /** The host id; fails when it has not enrolled yet. */
        public UUID hostId() throws IOException {
            return enrolledHostId().orElseThrow(() -> new IllegalStateException("agent " + index + " has not enrolled"));
        }

        /** Runs the docker CLI against this agent's socket; its output, or an exception naming the exit status. */
        public String docker(String... args) throws IOException, InterruptedException {
            return process.docker(args);
        }

        /** Cuts this host's link: its uplink down inside its own namespace. */
        public void linkDown() throws IOException, InterruptedException {
            ip("-n", namespace, "link", "set", UPLINK, "down");
        }

        /** Restores the link {@link #linkDown()} cut. */
        public void linkUp() throws IOException, InterruptedException {
            ip("-n", namespace, "link", "set", UPLINK, "up");
        }

        /** The agent's log so far (for failure messages). */
        public String log() {
            return process.log();
        }

        @Override
        public String toString() {
            return "agent " + index + " (" + namespace + ", " + address + ", " + socket() + ")";
        }
    }

    // ---- commands

    static String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return Commands.run(cmd);
    }

    private static void attempt(List<Exception> failures, AgentProcess.Step step) {
        AgentProcess.attempt(failures, step);
    }
}
