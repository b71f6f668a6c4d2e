package io.hawser.console.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real host agent ({@code host-agent/target/hawser-agent.jar}, built before the console's tests) as a process, with
 * everything of its own ({@link Layout}: data root, socket, exec root, cgroup parent, bridge) so it shares nothing with
 * other tests or builds on this machine. It may be killed and started again on the same layout (a restart).
 * {@link #close()} removes all it made, containers first, even after a failed test: see {@link AgentCleanup}.
 */
public final class AgentProcess implements AutoCloseable {

    public static final Path JAR = Path.of("host-agent/target/hawser-agent.jar").toAbsolutePath();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    /**
     * Where one agent keeps its things. {@code home} holds the data root ({@code home/data}) and the log; the exec
     * root is short because the shims' unix sockets live below it (107 bytes at most).
     */
    public record Layout(Path home, Path socket, Path execRoot, String cgroupParent, String bridgeName) {

        /** A new temp directory as home, and names unique to this agent made from {@code prefix} (at most 5 characters). */
        public static Layout fresh(String prefix) throws IOException {
            return under(Files.createTempDirectory("hawser-" + prefix + "-"), prefix);
        }

        /** {@code home} (made if missing) and names unique to this agent made from {@code prefix} (at most 5 characters). */
        public static Layout under(Path home, String prefix) throws IOException {
            if (!prefix.matches("[a-z]{1,5}")) {
                throw new IllegalArgumentException("prefix: 1 to 5 lower-case letters (it goes into a bridge name)");
            }
            Files.createDirectories(home);
            String tag = UUID.randomUUID().toString().substring(0, 8);
            return new Layout(home, Path.of("/tmp/" + prefix + "-" + tag + ".sock"), Path.of("/tmp/" + prefix + "-" + tag),
                    "hawser-it-" + prefix + "-" + tag, "hw" + prefix + tag);
        }

        public Path dataRoot() {
            return home.resolve("data");
        }

        public Path log() {
            return home.resolve("agent.log");
        }
    }

    private final Layout layout;
    private final String consoleUrl;
    private String netns;
    private String bridgeSubnet;
    private boolean tokenOnCommandLine;
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;

    private AgentProcess(Layout layout, String consoleUrl) {
        this.layout = layout;
        this.consoleUrl = consoleUrl;
    }

    /** The agent jar; fails with how to build it when it is missing. */
    public static Path jar() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build the agent first (mvn verify from the repository root, "
                    + "or mvn -B -q -DskipTests -f host-agent/pom.xml package)");
        }
        return JAR;
    }

    /** An agent (not started yet) that will link to {@code consoleUrl}. */
    public static AgentProcess create(Layout layout, String consoleUrl) {
        jar();
        return new AgentProcess(layout, consoleUrl);
    }

    /** Started in the network namespace {@code name} (under /run/netns) with {@code nsenter --net}. */
    public AgentProcess inNamespace(String name) {
        this.netns = name;
        return this;
    }

    public AgentProcess bridgeSubnet(String subnet) {
        this.bridgeSubnet = subnet;
        return this;
    }

    public AgentProcess jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /** The join token as {@code --join-token} (as an operator may type it) instead of in {@code HAWSER_JOIN_TOKEN}. */
    public AgentProcess tokenOnCommandLine() {
        this.tokenOnCommandLine = true;
        return this;
    }

    /** Starts the agent (again, after {@link #kill()}); {@code joinToken} null when it has its credential already. */
    public AgentProcess start(String joinToken) throws IOException {
        if (isAlive()) {
            throw new IllegalStateException("the agent is running already");
        }
        Files.createDirectories(layout.home());
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("nsenter", "--net=/run/netns/" + netns)); // it execs the JVM: the PID is the agent's
        }
        cmd.add(JAVA.toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar().toString(), "--data-root", layout.dataRoot().toString(),
                "--socket", layout.socket().toString(), "--exec-root", layout.execRoot().toString(),
                "--cgroup-parent", layout.cgroupParent(), "--bridge-name", layout.bridgeName()));
        if (bridgeSubnet != null) {
            cmd.addAll(List.of("--bridge-subnet", bridgeSubnet));
        }
        cmd.addAll(List.of("--console-url", consoleUrl));
        if (joinToken != null && tokenOnCommandLine) {
            cmd.addAll(List.of("--join-token", joinToken));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()));
        if (joinToken != null && !tokenOnCommandLine) {
            pb.environment().put("HAWSER_JOIN_TOKEN", joinToken);
        }
        process = pb.start();
        return this;
    }

    /** SIGKILL (what destroyForcibly sends on Linux), then wait for it. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Layout layout() {
        return layout;
    }

    public Path home() {
        return layout.home();
    }

    public Path dataRoot() {
        return layout.dataRoot();
    }

    public Path socket() {
        return layout.socket();
    }

    public Path logFile() {
        return layout.log();
    }

    /** Its credential file ({@code <hostId>.<secret>}), there once it enrolled. */
    public Path credentialFile() {
        return layout.dataRoot().resolve("link/credential");
    }

    /** The host id the console gave it, from its credential; null before it enrolled. */
    public UUID hostId() throws IOException {
        Path credential = credentialFile();
        if (!Files.exists(credential)) {
            return null;
        }
        String bearer = Files.readString(credential).strip();
        int dot = bearer.indexOf('.');
        return dot < 0 ? null : UUID.fromString(bearer.substring(0, dot));
    }

    /** The docker CLI against this agent's socket; its output, or an exception naming the exit status. */
    public String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + layout.socket()));
        cmd.addAll(List.of(args));
        return Commands.run(cmd);
    }

    /** A busybox image ({@link Tarballs#busybox}) imported with the docker CLI as {@code tag}; its output (the id). */
    public String importBusybox(String tag) throws IOException, InterruptedException {
        Path tar = layout.home().resolve("busybox.tar");
        return docker("import", (Files.exists(tar) ? tar : Tarballs.busybox(layout.home(), "busybox", 0)).toString(), tag);
    }

    /** The agent's log so far, for failure messages. */
    public String log() {
        try {
            return Files.exists(layout.log()) ? Files.readString(layout.log()) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /**
     * Removes every container through the agent (while it runs), stops it (SIGTERM, SIGKILL after 30 s), then
     * whatever is left: shims, cgroups, mounts, its bridge (unless in a namespace, which takes it along), socket, exec
     * root and home. Every step runs; the first failure is thrown at the end.
     */
    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        if (isAlive()) {
            String ids = Commands.quietly("docker", "-H", "unix://" + layout.socket(), "ps", "-aq");
            for (String id : ids.split("\\s+")) {
                if (id.matches("[0-9a-f]+")) {
                    // a failure here is cleaned below: the cgroup clean-up kills what is left
                    Commands.quietly("docker", "-H", "unix://" + layout.socket(), "rm", "-f", id);
                }
            }
        }
        attempt(failures, () -> {
            if (isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
        });
        attempt(failures, () -> AgentCleanup.killLeftoverShims(layout.execRoot()));
        attempt(failures, () -> AgentCleanup.removeCgroups(layout.cgroupParent()));
        if (netns == null) {
            AgentCleanup.deleteLink(layout.bridgeName());
        }
        attempt(failures, () -> AgentCleanup.unmountBelow(layout.home(), layout.execRoot()));
        attempt(failures, () -> Files.deleteIfExists(layout.socket()));
        attempt(failures, () -> AgentCleanup.deleteTree(layout.execRoot()));
        attempt(failures, () -> AgentCleanup.deleteTree(layout.home()));
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Override
    public String toString() {
        return "agent " + layout.socket() + (netns == null ? "" : " in " + netns);
    }

    /** A clean-up step that may fail. */
    public interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step}, adding its failure to {@code failures} instead of throwing. */
    public static void attempt(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }
}
