package io.hawser.console.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

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
    static final Path AGENT_JAR = Path.of("host-agent/target/hawser-agent.jar").toAbsolutePath();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

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
        if (!Files.isRegularFile(AGENT_JAR)) {
            throw new IllegalStateException(AGENT_JAR + " is missing: build the agent first (mvn verify from the "
                    + "repository root, or mvn -B -q -DskipTests -f host-agent/pom.xml package)");
        }
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
            attempt(failures, agent::removeContainers);
        }
        for (Agent agent : agents) {
            attempt(failures, agent::stop);
        }
        for (Agent agent : agents) {
            attempt(failures, () -> killLeftoverShims(agent.execRoot));
            attempt(failures, () -> removeCgroups(agent.cgroupParent));
        }
        attempt(failures, () -> unmountBelow(dir));
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
        for (Agent agent : agents) {
            attempt(failures, () -> deleteTree(agent.execRoot));
        }
        attempt(failures, () -> deleteTree(dir));
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
        private final Path home;
        private final Path dataRoot;
        private final Path socket;
        private final Path execRoot;
        private final Path log;
        private final String cgroupParent;
        private final String bridgeName;
        private final String bridgeSubnet;
        private Process process;

        private Agent(int index) {
            this.index = index;
            this.namespace = "hwf-" + tag + "-a" + index;
            this.address = "10.213.0." + (10 + index);
            this.home = dir.resolve("a" + index);
            this.dataRoot = home.resolve("data");
            this.socket = home.resolve("docker.sock");
            this.execRoot = Path.of("/tmp/hwf-" + tag + "-r" + index); // short: shim sockets live below it
            this.log = home.resolve("agent.log");
            this.cgroupParent = "hawser-fleetit-" + tag + "-a" + index;
            this.bridgeName = "hwf" + index;
            this.bridgeSubnet = "172.30." + index + ".0/24";
        }

        private void start(String joinToken) throws IOException {
            Files.createDirectories(home);
            ProcessBuilder pb = new ProcessBuilder("nsenter", "--net=/run/netns/" + namespace, JAVA.toString(),
                    "-Xmx128m", "-jar", AGENT_JAR.toString(),
                    "--data-root", dataRoot.toString(), "--socket", socket.toString(), "--exec-root", execRoot.toString(),
                    "--cgroup-parent", cgroupParent, "--bridge-name", bridgeName, "--bridge-subnet", bridgeSubnet,
                    "--console-url", consoleUrl().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (joinToken != null) {
                pb.environment().put("HAWSER_JOIN_TOKEN", joinToken);
            }
            process = pb.start(); // nsenter execs the JVM: this PID is the agent's
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
            return socket;
        }

        public Path dataRoot() {
            return dataRoot;
        }

        public String cgroupParent() {
            return cgroupParent;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process != null && process.isAlive();
        }

        /** Its credential file, there once it enrolled. */
        public Path credentialFile() {
            return dataRoot.resolve("link/credential");
        }

        /** The host id the console gave it, from its credential ({@code <hostId>.<secret>}); empty before enrollment. */
        public java.util.Optional<UUID> enrolledHostId() throws IOException {
            Path file = credentialFile();
            if (!Files.exists(file)) {
                return java.util.Optional.empty();
            }
            String bearer = Files.readString(file).strip();
            int dot = bearer.indexOf('.');
            return dot < 0 ? java.util.Optional.empty() : java.util.Optional.of(UUID.fromString(bearer.substring(0, dot)));
        }

        /** The host id; fails when it has not enrolled yet. */
        public UUID hostId() throws IOException {
            return enrolledHostId().orElseThrow(() -> new IllegalStateException("agent " + index + " has not enrolled"));
        }

        /** Runs the docker CLI against this agent's socket; its output, or an exception naming the exit status. */
        public String docker(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + socket));
            cmd.addAll(List.of(args));
            return run(cmd);
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
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        private void removeContainers() throws IOException, InterruptedException {
            if (!isAlive()) {
                return;
            }
            String ids = docker("ps", "-aq").strip();
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(List.of(ids.split("\\s+")));
                docker(rm.toArray(String[]::new));
            }
        }

        private void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(60, TimeUnit.SECONDS);
            }
        }

        @Override
        public String toString() {
            return "agent " + index + " (" + namespace + ", " + address + ", " + socket + ")";
        }
    }

    // ---- commands and cleanup helpers

    static String ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " still running after " + COMMAND_TIMEOUT);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    /** Shims (and so containers) still running from an exec root: SIGKILL them (as the agent ITs' cleanup does). */
    private static void killLeftoverShims(Path runDir) throws IOException, InterruptedException {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(runDir)) {
            for (Path d : dirs.toList()) {
                Path pidFile = d.resolve("shim.pid");
                if (Files.exists(pidFile)) {
                    String pid = Files.readString(pidFile).strip();
                    Path cmdline = Path.of("/proc", pid, "cmdline");
                    if (Files.exists(cmdline) && Files.readString(cmdline).contains(d.toString())) {
                        new ProcessBuilder("kill", "-9", pid).start().waitFor();
                    }
                }
            }
        }
    }

    /** The cgroups under {@code parent} in every controller: their processes killed, then removed. */
    private static void removeCgroups(String parent) throws IOException, InterruptedException {
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                Path top = controller.resolve(parent);
                if (!Files.isDirectory(top)) {
                    continue;
                }
                try (Stream<Path> children = Files.list(top)) {
                    for (Path child : children.filter(Files::isDirectory).toList()) {
                        Path procs = child.resolve("cgroup.procs");
                        if (Files.exists(procs)) {
                            for (String pid : Files.readAllLines(procs)) {
                                new ProcessBuilder("kill", "-9", pid.strip()).start().waitFor();
                            }
                        }
                        for (int i = 0; i < 50 && Files.exists(child); i++) {
                            new ProcessBuilder("rmdir", child.toString()).start().waitFor();
                            Thread.sleep(100);
                        }
                    }
                }
                new ProcessBuilder("rmdir", top.toString()).start().waitFor();
            }
        }
    }

    /** Lazily unmounts every mount point at or below {@code root} (containers' overlays), deepest first. */
    private static void unmountBelow(Path root) throws IOException, InterruptedException {
        String prefix = root.toString() + "/";
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                String target = fields[4].replace("\\040", " ");
                if (target.startsWith(prefix)) {
                    targets.add(target);
                }
            }
        }
        targets.sort(Comparator.comparingInt(String::length).reversed());
        for (String target : targets) {
            new ProcessBuilder("umount", "-l", target).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }
}
