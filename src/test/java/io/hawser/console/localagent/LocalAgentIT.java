package io.hawser.console.localagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.console.testing.AgentCleanup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged console as {@code ./hawser} runs it, as root, with the agent's jar: it starts a local agent, enrolls
 * it, and the machine is ONLINE under its hostname; the docker CLI works on the printed socket; stopping the console
 * stops the agent; starting again brings the same host back without a second enrollment. Runs the jar rather than
 * the shared test context, which must not start agents (the {@code it} profile turns the local agent off).
 */
class LocalAgentIT {

    private static final Pattern READY = Pattern.compile("Hawser console is ready: (http://localhost:\\d+)");
    private static final Pattern SOCKET = Pattern.compile("export DOCKER_HOST=unix://(\\S+)");
    private static final Pattern ONLINE = Pattern.compile("Local host (\\S+) is ONLINE \\(host id ([0-9a-f-]{36})\\)");
    private static final Path AGENT_JAR = Path.of("host-agent/target/hawser-agent.jar").toAbsolutePath();

    @Test
    void theConsoleStartsAnEnrolledLocalAgent_stopsItWithItself_andKeepsTheSameHostAcrossRestarts(@TempDir Path home)
            throws Exception {
        assertThat(AGENT_JAR).as("the agent is built before the console's integration tests").exists();
        Path dataDir = home.resolve(".hawser");
        LocalAgentPaths paths = LocalAgentPaths.of(dataDir, null);
        String cgroupParent = "hawser-it-" + UUID.randomUUID().toString().substring(0, 8);
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        List<Console> started = new ArrayList<>();
        try {
            Console first = Console.start(home, cgroupParent);
            started.add(first);
            Matcher online = first.await(ONLINE);
            assertThat(online.group(1)).as("the host is named after the machine").isEqualTo(hostname);
            String hostId = online.group(2);
            Path socket = Path.of(first.await(SOCKET).group(1));
            assertThat(socket).isEqualTo(dataDir.resolve("agent/hawser.sock"));
            assertThat(first.output()).contains("Local agent: enrolling this machine as a host", "its log: " + paths.log());

            Command version = docker(socket, "version", "--format", "{{.Server.Version}}");
            assertThat(version.exitCode()).as(version.output()).isZero();
            assertThat(version.output().strip()).isNotEmpty();

            String credential = Files.readString(paths.credential());
            assertThat(credential).startsWith(hostId + ".");
            long agentPid = Long.parseLong(Files.readString(paths.pidFile()).strip());
            ProcessHandle agent = ProcessHandle.of(agentPid).orElseThrow();
            assertThat(Files.readString(Path.of("/proc/" + agentPid + "/cmdline")))
                    .as("the join token never on the agent's command line, which every local user can read")
                    .doesNotContain("join-token").contains("--console-url");

            first.stop();
            agent.onExit().get(60, TimeUnit.SECONDS);
            assertThat(agent.isAlive()).as("the console stopped its agent").isFalse();

            Console second = Console.start(home, cgroupParent);
            started.add(second);
            Matcher again = second.await(ONLINE);
            assertThat(again.group(2)).as("the same host").isEqualTo(hostId);
            assertThat(second.output()).doesNotContain("enrolling this machine");
            assertThat(Files.readString(paths.credential())).as("no second enrollment").isEqualTo(credential);
            assertThat(Files.readString(paths.log().resolveSibling("agent.log.1"))).as("the first run's log, kept once")
                    .contains("enrolled with");
            assertThat(Files.readString(paths.log())).doesNotContain("enrolled with");
            assertThat(docker(socket, "version").exitCode()).isZero();
        } finally {
            for (Console console : started) {
                console.process().destroyForcibly().waitFor();
            }
            killIf(paths.pidFile(), paths.dataRoot().toString());
            killIf(dataDir.resolve("postgres/postmaster.pid"), null);
            AgentCleanup.removeCgroups(cgroupParent);
            AgentCleanup.deleteTree(paths.execRoot());
        }
    }

    private record Command(int exitCode, String output) {}

    private static Command docker(Path socket, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker", "-H", "unix://" + socket));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Command(process.exitValue(), output);
    }

    /** Kills the process in the pid file (first line) if alive, and if given, only when its arguments hold {@code mark}. */
    private static void killIf(Path pidFile, String mark) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(h -> mark == null
                || List.of(h.info().arguments().orElse(new String[0])).contains(mark));
        handle.ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
    }

    private record Console(Process process, List<String> lines) {

        static Console start(Path home, String cgroupParent) throws Exception {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", "target/hawser-console.jar", "--server.port=" + port,
                    "--hawser.local-agent.jar=" + AGENT_JAR, "--hawser.local-agent.cgroup-parent=" + cgroupParent)
                    .redirectErrorStream(true);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("HAWSER_ADMIN_PASSWORD", "local-agent-it-password");
            builder.environment().remove("SPRING_DATASOURCE_URL");
            Console console = new Console(builder.start(), new ArrayList<>());
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(console.process().getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (console.lines()) {
                            console.lines().add(line);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            console.await(READY);
            return console;
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        Matcher await(Pattern pattern) throws InterruptedException {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (Instant.now().isBefore(deadline)) {
                Matcher m = pattern.matcher(output());
                if (m.find()) {
                    return m;
                }
                if (!process.isAlive() && !pattern.matcher(output()).find()) {
                    break;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no " + pattern + " in the console's output:\n" + output());
        }

        /** SIGTERM, as Ctrl-C or a service manager stops it. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the console did not stop on SIGTERM:\n" + output());
            }
        }
    }
}
