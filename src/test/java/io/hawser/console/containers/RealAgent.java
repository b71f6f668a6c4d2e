package io.hawser.console.containers;

import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import io.hawser.console.users.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The real agent jar ({@code host-agent/target/hawser-agent.jar}) enrolled to the test console, with everything of its
 * own (data root, socket, run directory, cgroup parent, bridge) so it shares nothing with other builds on this machine,
 * and a busybox image imported. {@link #close()} removes all it made, containers first, even after a failed test.
 */
public final class RealAgent implements AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(90);
    public static final String IMAGE = "detail-it:1";

    public final UUID hostId;
    public final Path socket;
    private final Path dir;
    private final Path runDir;
    private final Path log;
    private final String cgroupParent;
    private final String bridge;
    private final JdbcClient jdbc;
    private Process process;

    private RealAgent(UUID hostId, Path dir, Path socket, Path runDir, Path log, String cgroupParent, String bridge,
                      JdbcClient jdbc, Process process) {
        this.hostId = hostId;
        this.dir = dir;
        this.socket = socket;
        this.runDir = runDir;
        this.log = log;
        this.cgroupParent = cgroupParent;
        this.bridge = bridge;
        this.jdbc = jdbc;
        this.process = process;
    }

    /** Enrolls a fresh agent (named {@code hostName}), waits for it to be ONLINE and imports {@link #IMAGE}. */
    public static RealAgent start(String hostName, HostService hosts, JdbcClient jdbc, int consolePort) throws Exception {
        Path jar = Path.of("host-agent/target/hawser-agent.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the agent first (mvn -B -q -DskipTests -f host-agent/pom.xml package)");
        }
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("hawser-detail-it");
        Path socket = Path.of("/tmp/hd-" + tag + ".sock");
        Path runDir = Path.of("/tmp/hdr-" + tag);
        Path log = dir.resolve("agent.log");
        String cgroupParent = "hawser-detail-it-" + tag;
        String bridge = "hdt" + tag;
        var before = SecurityContextHolder.getContext().getAuthentication();
        JoinToken token;
        try {
            SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                    "it-admin", null, AuthorityUtils.createAuthorityList(Role.ADMIN.authority())));
            token = hosts.createJoinToken(1, Duration.ofMinutes(30));
        } finally {
            SecurityContextHolder.getContext().setAuthentication(before);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--data-root", dir.resolve("data").toString(), "--socket", socket.toString(),
                "--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent, "--bridge-name", bridge,
                "--console-url", "http://127.0.0.1:" + consolePort));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HAWSER_JOIN_TOKEN", token.token());
        Process process = pb.start();
        RealAgent agent = new RealAgent(null, dir, socket, runDir, log, cgroupParent, bridge, jdbc, process);
        try {
            Path credential = dir.resolve("data/link/credential");
            agent.await("credential stored", () -> Files.exists(credential));
            String bearer = Files.readString(credential).strip();
            UUID id = UUID.fromString(bearer.substring(0, bearer.indexOf('.')));
            agent = new RealAgent(id, dir, socket, runDir, log, cgroupParent, bridge, jdbc, process);
            jdbc.sql("UPDATE hosts SET name = ? WHERE id = ?").params(hostName, id).update();
            RealAgent online = agent;
            agent.await("host online", () -> "ONLINE".equals(online.status()));
            Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
            Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"));
            Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
            run(List.of("tar", "-C", dir.resolve("rootfs").toString(), "-cf", dir.resolve("busybox.tar").toString(), "."));
            agent.docker("import", dir.resolve("busybox.tar").toString(), IMAGE);
            agent.await("image in the inventory", () -> jdbc.sql("SELECT count(*) FROM images WHERE host_id = ? AND ? = ANY (repo_tags)")
                    .params(online.hostId, IMAGE).query(Long.class).single() == 1);
            return agent;
        } catch (Exception | Error e) {
            agent.close();
            throw e;
        }
    }

    /** The docker CLI against this agent's socket; its output. */
    public String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    public String status() {
        return hostId == null ? null
                : jdbc.sql("SELECT status FROM hosts WHERE id = ?").param(hostId).query(String.class).optional().orElse(null);
    }

    public void await(String what, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not true after " + DEADLINE + ": " + what + "\nagent log:\n" + log());
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (process.isAlive()) {
                String ids = quietly(List.of("docker", "-H", "unix://" + socket, "ps", "-aq"));
                for (String id : ids.split("\\s+")) {
                    if (id.matches("[0-9a-f]+")) {
                        quietly(List.of("docker", "-H", "unix://" + socket, "rm", "-f", id));
                    }
                }
            }
        } finally {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
            killLeftoverShims();
            removeCgroups();
            quietly(List.of("ip", "link", "del", "dev", bridge));
            unmountUnder(dir);
            if (hostId != null) {
                jdbc.sql("DELETE FROM hosts WHERE id = ?").param(hostId).update();
            }
            Files.deleteIfExists(socket);
            deleteTree(runDir);
            deleteTree(dir);
        }
    }

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
                        quietly(List.of("kill", "-9", pid));
                    }
                }
            }
        }
    }

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
                                quietly(List.of("kill", "-9", pid.strip()));
                            }
                        }
                        for (int i = 0; i < 50 && Files.exists(child); i++) {
                            quietly(List.of("rmdir", child.toString()));
                            Thread.sleep(100);
                        }
                    }
                }
                quietly(List.of("rmdir", parent.toString()));
            }
        }
    }

    /** Overlay mounts of containers the agent could not take down (it was killed): deepest first. */
    private static void unmountUnder(Path dir) throws IOException, InterruptedException {
        String prefix = dir.toRealPath().toString() + "/";
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].startsWith(prefix)) {
                mounts.add(f[1]);
            }
        }
        mounts.sort(Comparator.reverseOrder());
        for (String m : mounts) {
            quietly(List.of("umount", "-l", m));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
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

    private static String quietly(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
