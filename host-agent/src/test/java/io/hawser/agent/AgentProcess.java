package io.hawser.agent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged agent ({@code target/hawser-agent.jar}) running as a separate process, as an operator
 * starts it. Output goes to a log file (a pipe nobody drains could block the agent).
 */
final class AgentProcess implements AutoCloseable {

    /** Generous: a deadline for a stuck start on a loaded machine, not a measure of speed. */
    static final Duration START_DEADLINE = Duration.ofSeconds(90);

    final Path dataRoot;
    final Path socket;
    final Path log;
    final Process process;

    private AgentProcess(Path dataRoot, Path socket, Path log, Process process) {
        this.dataRoot = dataRoot;
        this.socket = socket;
        this.log = log;
        this.process = process;
    }

    static Path jar() {
        String jar = System.getProperty("hawser.agent.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property hawser.agent.jar must name the packaged agent; got " + jar
                    + " (run through Maven: mvn verify)");
        }
        return Path.of(jar);
    }

    /** Starts the agent without waiting for it. */
    static AgentProcess launch(Path dataRoot, Path socket, Path log) throws IOException {
        return launch(dataRoot, socket, log, List.of());
    }

    /** Starts the agent with more flags (for example {@code --exec-root}, {@code --cgroup-parent}) without waiting. */
    static AgentProcess launch(Path dataRoot, Path socket, Path log, List<String> extraArgs) throws IOException {
        return launch(dataRoot, socket, log, extraArgs, List.of());
    }

    /**
     * With {@code prefix} before the java command, for example a shell that ignores SIGHUP and then
     * {@code exec}s it (the agent keeps the pid, so {@link #close()} still reaches it).
     */
    static AgentProcess launch(Path dataRoot, Path socket, Path log, List<String> extraArgs, List<String> prefix) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.add("--data-root");
        cmd.add(dataRoot.toString());
        cmd.add("--socket");
        cmd.add(socket.toString());
        cmd.addAll(extraArgs);
        if (!extraArgs.contains("--bridge-name")) {
            cmd.addAll(List.of("--bridge-name", TestBridges.forDataRoot(dataRoot)));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcess(dataRoot, socket, log, p);
    }

    /** Starts the agent and waits until it accepts connections on its socket. */
    static AgentProcess start(Path dataRoot, Path socket, Path log) throws IOException, InterruptedException {
        return start(dataRoot, socket, log, List.of());
    }

    static AgentProcess start(Path dataRoot, Path socket, Path log, List<String> extraArgs) throws IOException, InterruptedException {
        return start(dataRoot, socket, log, extraArgs, List.of());
    }

    static AgentProcess start(Path dataRoot, Path socket, Path log, List<String> extraArgs, List<String> prefix)
            throws IOException, InterruptedException {
        AgentProcess agent = launch(dataRoot, socket, log, extraArgs, prefix);
        agent.awaitListening();
        return agent;
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("agent exited with " + process.exitValue() + " before listening:\n" + log());
            }
            // The socket accepts (into the backlog) from bind on; the log line marks the end of start-up.
            if (Files.exists(socket) && accepts(socket) && log().contains(" listening on unix://")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("agent not listening on " + socket + " after " + START_DEADLINE + ":\n" + log());
    }

    static boolean accepts(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /** Waits for the process to end by itself; returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("agent still running after " + START_DEADLINE);
        }
        return process.exitValue();
    }

    /** SIGTERM (what Process.destroy sends on Linux), then wait. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    /** Never leaves the process behind, whatever the test did. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
