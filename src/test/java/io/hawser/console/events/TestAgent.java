package io.hawser.console.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real host agent jar enrolled to the test console, able to run containers: its own data root, socket, short run
 * directory and cgroup parent, unique per run. {@link #close} removes every container, then the agent, its shims,
 * cgroups, mounts and files, even after a failed test.
 */
final class TestAgent implements AutoCloseable {

    static final Path JAR = Path.of("host-agent/target/hawser-agent.jar").toAbsolutePath();

    final Path dir;
    final Path dataRoot;
    final Path socket;
    final Path log;
    final Path runDir;
    final String cgroupParent;
    private Process process;

    private TestAgent(Path dir, String unique) {
        this.dir = dir;
        this.dataRoot = dir.resolve("data");
        this.log = dir.resolve("agent.log");
        this.socket = Path.of("/tmp/hev-" + unique + ".sock");
        this.runDir = Path.of("/tmp/hev-" + unique); // short: the shims' unix sockets live below it
        this.cgroupParent = "hawser-it-ev-" + unique;
    }

    static TestAgent start(String consoleUrl, String joinToken) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build the agent first (mvn -B -q -DskipTests -f "
                    + "host-agent/pom.xml package)");
        }
        String unique = UUID.randomUUID().toString().substring(0, 8);
        TestAgent agent = new TestAgent(Files.createTempDirectory("hawser-events-it"), unique);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "--data-root", agent.dataRoot.toString(), "--socket", agent.socket.toString(),
                "--exec-root", agent.runDir.toString(), "--cgroup-parent", agent.cgroupParent,
                "--console-url", consoleUrl));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(agent.log.toFile()));
        pb.environment().put("HAWSER_JOIN_TOKEN", joinToken);
        agent.process = pb.start();
        return agent;
    }

    /** The host id the agent was enrolled as, once its credential is stored; null before. */
    UUID hostId() throws IOException {
        Path credential = dataRoot.resolve("link/credential");
        if (!Files.exists(credential)) {
            return null;
        }
        String bearer = Files.readString(credential).strip();
        return bearer.contains(".") ? UUID.fromString(bearer.substring(0, bearer.indexOf('.'))) : null;
    }

    /** The docker CLI against this agent's socket; fails with its output unless it exits 0. */
    String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** A busybox image imported into the agent with the docker CLI (Debian's busybox-static). */
    void importBusybox(String tag) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
        Files.createSymbolicLink(root.resolve("sh"), Path.of("busybox"));
        Path tar = dir.resolve("busybox.tar");
        run(List.of("tar", "-C", dir.resolve("rootfs").toString(), "-cf", tar.toString(), "."));
        docker("import", tar.toString(), tag);
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (process != null && process.isAlive()) {
                for (String id : docker("ps", "-aq").split("\\s+")) {
                    if (!id.isBlank()) {
                        try {
                            docker("rm", "-f", id);
                        } catch (IllegalStateException e) {
                            // the cgroup clean-up below kills what is left
                        }
                    }
                }
            }
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(60, TimeUnit.SECONDS);
            }
            killLeftoverShims();
            removeCgroups();
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String target = line.split(" ")[1];
                if (target.startsWith(dir.toString()) || target.startsWith(runDir.toString())) {
                    new ProcessBuilder("umount", "-l", target).start().waitFor(30, TimeUnit.SECONDS);
                }
            }
            deleteTree(runDir);
            deleteTree(dir);
            Files.deleteIfExists(socket);
        }
    }

    /** Shims (and so containers) still running from this run's directory. */
    private void killLeftoverShims() throws IOException, InterruptedException {
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

    /** SIGKILL whatever is left in this run's cgroups, then remove them. */
    private void removeCgroups() throws IOException, InterruptedException {
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                Path parent = controller.resolve(cgroupParent);
                if (!Files.isDirectory(parent)) {
                    continue;
                }
                try (Stream<Path> children = Files.list(parent)) {
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
                new ProcessBuilder("rmdir", parent.toString()).start().waitFor();
            }
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " still running after 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
