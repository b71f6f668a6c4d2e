package io.hawser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hawser.agent.api.http.HttpServer;
import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.cgroups.detect.CgroupDrivers;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.sys.HostInfo;
import io.hawser.agent.sys.JnrSyscalls;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real docker CLI against {@code info}, {@code top}, {@code stats} and {@code diff}, served in-process over
 * fake container views that point at a real process in a real cgroup (under a parent unique to the run) and a
 * real overlay mount. Needs root.
 */
class IntrospectDockerCliIT {

    static final String ID = "d1ff" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + "0".repeat(44);
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;
    private HttpServer server;
    private final FakeContainerViews containers = new FakeContainerViews();
    private final List<Process> processes = new ArrayList<>();
    private CgroupDriver driver;
    private String parent;
    private Path docker;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        docker = findOnPath("docker");
        assumeTrue(docker != null, "the docker CLI is not on PATH on this machine");
        assumeTrue(Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")),
                "cgroups and overlay mounts need root");
        driver = CgroupDrivers.detect();
        parent = "hawser-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        BuildInfo build = BuildInfo.load();
        HostInfo host = HostInfo.detect();
        EngineApi.Builder routes = EngineApi.standardRoutes(build, host)
                // the container code owns inspect; the CLI may ask it first
                .route("GET", "/containers/{id}/json", call -> {
                    var c = containers.find(call.pathParam("id"))
                            .orElseThrow(() -> AgentException.notFound("No such container: " + call.pathParam("id")));
                    call.exchange().sendJson(200, Map.of("Id", c.id(), "Name", "/" + c.name(),
                            "State", Map.of("Running", c.running(), "Status", c.running() ? "running" : "exited"),
                            "Config", Map.of("Tty", false)));
                });
        IntrospectEndpoints.register(routes, containers, () -> 1,
                IntrospectEndpoints.engineFacts(driver, CgroupLayout.fromProc(), tmp, build, host));
        server = HttpServer.bind(tmp.resolve("api.sock"), routes.build(), EngineApi.defaultHeaders(build));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (driver != null && driver.exists(CgroupPath.parse(parent))) {
            Cgroup all = driver.open(CgroupPath.parse(parent));
            all.killAll();
            all.destroy();
        }
        assertThat(driver == null || !driver.exists(CgroupPath.parse(parent))).as("parent cgroup removed").isTrue();
    }

    /** A shell in the container's cgroup that starts a sleep in the background and becomes another one. */
    private Cgroup startContainer() throws Exception {
        Cgroup cg = driver.create(CgroupPath.of(parent, ID), Resources.none().withMemory(64 * MIB).withPidsLimit(32L));
        Process p = new ProcessBuilder("sh", "-c", "read x; sleep 1001 & exec sleep 1000")
                .redirectOutput(tmp.resolve("c.out").toFile()).redirectError(tmp.resolve("c.err").toFile()).start();
        processes.add(p);
        cg.addProcess(p.pid());
        try (OutputStream in = p.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (cg.pids().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(cg.pids()).hasSize(2);
        containers.put(new ContainerViews.ContainerView(ID, "itweb", true, (int) p.pid(), Optional.of(cg),
                tmp.resolve("upper"), List.of()));
        return cg;
    }

    @Test
    void top_showsTheCgroupsProcesses_withPsOptions() throws Exception {
        Cgroup cg = startContainer();
        Run r = docker("top", "itweb");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("UID\\s+PID\\s+PPID\\s+C\\s+STIME\\s+TTY\\s+TIME\\s+CMD");
        assertThat(lines).hasSize(3);
        assertThat(r.out()).contains("sleep 1000").contains("sleep 1001");
        for (long pid : cg.pids()) {
            assertThat(r.out()).containsPattern("root\\s+" + pid + "\\s");
        }

        Run custom = docker("top", ID.substring(0, 12), "-o", "pid,args");
        assertThat(custom.exit()).as(custom.err()).isZero();
        assertThat(custom.out().lines().toList()).hasSize(3).first().asString().matches("PID\\s+COMMAND");

        Run bad = docker("top", "itweb", "-o", "comm");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("Couldn't find PID field in ps output");
    }

    @Test
    void top_ofAStoppedContainer_failsAsDockerd() throws Exception {
        containers.put(new ContainerViews.ContainerView(ID, "itweb", false, 0, Optional.empty(), tmp.resolve("upper"), List.of()));
        Run r = docker("top", "itweb");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Error response from daemon: Container " + ID + " is not running");
    }

    @Test
    void stats_noStream_showsCpuMemoryLimitAndPids() throws Exception {
        startContainer();
        Run r = docker("stats", "--no-stream", "itweb");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("CONTAINER ID\\s+NAME\\s+CPU %\\s+MEM USAGE / LIMIT\\s+MEM %\\s+NET I/O\\s+BLOCK I/O\\s+PIDS");
        assertThat(lines.get(1)).matches(ID.substring(0, 12) + "\\s+itweb\\s+\\d+\\.\\d\\d%\\s+[\\d.]+[KMG]?i?B / 64MiB\\s+\\d+\\.\\d\\d%\\s+"
                + "0B / 0B\\s+[\\d.]+[kMG]?B / [\\d.]+[kMG]?B\\s+2");

        Run json = docker("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}} {{.MemUsage}}", "itweb");
        assertThat(json.out().strip()).startsWith("itweb 2 ").endsWith("/ 64MiB");
    }

    @Test
    void stats_streams_untilTheClientGoesAway() throws Exception {
        startContainer();
        List<String> cmd = new ArrayList<>(List.of("timeout", "-s", "INT", "-k", "5", "4", docker.toString(), "-H", "unix://" + server.socketPath(),
                "stats", "--format", "{{.Name}} {{.PIDs}}", "itweb"));
        Run r = run(cmd);
        // CLI 28 turns SIGINT into a cancelled context: its streams end (the rows turn to "--") but its render
        // loop goes on, so timeout's KILL ends it. What matters here is what came before the interrupt.
        assertThat(r.exit()).as(r.err()).isIn(124, 137);
        String beforeInterrupt = r.out().split("--", 2)[0];
        assertThat(beforeInterrupt.split("itweb 2", -1).length - 1).as(r.out()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void info_printsTheServerSection_withoutWarnings() throws Exception {
        startContainer();
        Run r = docker("info");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Server:\n Containers: 1\n  Running: 1\n  Paused: 0\n  Stopped: 0\n Images: 1\n")
                .contains(" Storage Driver: overlay2\n")
                .contains(" Cgroup Driver: cgroupfs\n")
                .contains(" Cgroup Version: " + driver.version().wire() + "\n")
                .contains(" Logging Driver: json-file\n")
                .contains(" Kernel Version: " + HostInfo.detect().kernelVersion() + "\n")
                .contains(" Docker Root Dir: " + tmp + "\n")
                .contains(" Live Restore Enabled: true\n")
                .containsPattern(" CPUs: \\d+\n")
                .containsPattern(" Total Memory: [\\d.]+GiB\n");
        assertThat(r.err()).doesNotContain("WARNING").doesNotContain("rror");
        String id = r.out().lines().filter(l -> l.startsWith(" ID: ")).findFirst().orElseThrow();
        assertThat(docker("info").out()).contains(id + "\n");
    }

    @Test
    void diff_listsAddsChangesAndDeletes_ofARealOverlay_mountedOrNot() throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.writeString(lower.resolve("etc/group"), "root:x:0:\n");
        Files.createDirectories(lower.resolve("bin"));
        Files.writeString(lower.resolve("bin/tool"), "#!/bin/sh\n");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path merged = Files.createDirectories(tmp.resolve("merged"));
        containers.put(new ContainerViews.ContainerView(ID, "itweb", false, 0, Optional.empty(), upper, List.of(lower)));

        JnrSyscalls sys = new JnrSyscalls();
        sys.mount("overlay", merged.toString(), "overlay", 0,
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
        try {
            assertThat(docker("diff", "itweb").out()).isEmpty();
            Files.writeString(merged.resolve("newfile"), "new");
            Files.writeString(merged.resolve("etc/passwd"), "web:x:1000:1000::/:/bin/sh\n", java.nio.file.StandardOpenOption.APPEND);
            Files.delete(merged.resolve("etc/group"));
            Files.createDirectories(merged.resolve("data"));
            Files.writeString(merged.resolve("data/f"), "f");

            Run r = docker("diff", "itweb");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("A /data\nA /data/f\nC /etc\nD /etc/group\nC /etc/passwd\nA /newfile\n");
        } finally {
            sys.umount2(merged.toString(), 0);
        }
        assertThat(docker("diff", ID.substring(0, 8)).out()).as("read from the upper directory alone")
                .isEqualTo("A /data\nA /data/f\nC /etc\nD /etc/group\nC /etc/passwd\nA /newfile\n");
    }

    private Run docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + server.socketPath()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private Run run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        List.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY").forEach(env::remove);
        env.put("DOCKER_CONFIG", Files.createDirectories(tmp.resolve("docker-config")).toString());
        Process p = pb.start();
        processes.add(p);
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

}
