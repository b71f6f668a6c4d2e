package io.hawser.agent;

import static io.hawser.agent.CliTestCleanup.deleteTree;
import static io.hawser.agent.CliTestCleanup.findOnPath;
import static io.hawser.agent.CliTestCleanup.killLeftoverShims;
import static io.hawser.agent.CliTestCleanup.removeCgroups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container lifecycle with the real docker CLI against the packaged agent on a busybox-static image:
 * run (attached, -d, --rm, -i), exit codes, ps with filters, inspect, stop/start/restart/kill/wait/rm/rename,
 * the create flags, restart policies, logs, events, limits, isolation, and re-adoption after {@code kill -9}
 * of the agent. One agent and one image for the class; a unique cgroup parent and a short run directory;
 * everything is removed in {@link #cleanUp()} whatever happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersDockerCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String IMAGE = "bb:1";

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;
    private Path runDir;
    private String cgroupParent;
    private List<String> agentArgs;
    private int agentStarts;

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    void start() throws Exception {
        docker = findOnPath("docker");
        assumeTrue(docker != null, "the docker CLI is not on PATH on this machine");
        assumeTrue(BusyboxImage.available(), "busybox-static is not installed (apt-get install busybox-static)");
        String unique = UUID.randomUUID().toString().substring(0, 8);
        runDir = Path.of("/tmp/hwc-" + unique); // short: the shims' unix sockets live below it
        cgroupParent = "hawser-it-" + unique;
        agentArgs = List.of("--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent);
        startAgent();
        Path tar = BusyboxImage.write(tmp.resolve("busybox.tar"));
        Result r = docker("import", "-c", "CMD [\"sh\"]", "-c", "ENV FROM_IMAGE=yes", tar.toString(), IMAGE);
        assertThat(r.exit()).as(r.all()).isZero();
    }

    private void startAgent() throws Exception {
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent" + agentStarts++ + ".log"),
                agentArgs);
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (agent != null && agent.process.isAlive()) {
                Result ids = docker("ps", "-aq");
                for (String id : ids.out().split("\\s+")) {
                    if (!id.isBlank()) {
                        docker("rm", "-f", id);
                    }
                }
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
            killLeftoverShims(runDir);
            CliTestCleanup.unmountUnder(tmp);
            removeCgroups(cgroupParent);
            deleteTree(runDir);
        }
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    }

    // ---- run, exit codes ----

    @Test
    @Order(1)
    void run_printsAndExitsZero() throws Exception {
        Result r = docker("run", "--rm", IMAGE, "echo", "hi");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(docker("ps", "-aq").out()).isBlank(); // --rm removed it
    }

    @Test
    @Order(2)
    void run_exitCodes_areTheCommandsOr126Or127() throws Exception {
        assertThat(docker("run", "--rm", IMAGE, "sh", "-c", "exit 3").exit()).isEqualTo(3);
        Result missing = docker("run", "--rm", IMAGE, "nosuch");
        assertThat(missing.exit()).isEqualTo(127);
        assertThat(missing.err()).contains("exec: \"nosuch\": executable file not found in $PATH");
        Result notExecutable = docker("run", "--rm", IMAGE, "/etc/passwd");
        assertThat(notExecutable.exit()).as(notExecutable.all()).isEqualTo(126);
        assertThat(notExecutable.err()).contains("permission denied");
        Result noImage = docker("run", "--rm", "--pull", "never", "nope:1", "true");
        assertThat(noImage.exit()).isEqualTo(125);
        assertThat(noImage.err()).contains("No such image: nope:1");
        await(() -> {
            try {
                return docker("ps", "-aq").out().isBlank();
            } catch (Exception e) {
                return false;
            }
        });
    }

    // ---- detached lifecycle ----

    @Test
    @Order(3)
    void detached_psInspectStopStartRestartKillWaitRenameRm() throws Exception {
        Result run = docker("run", "-d", "--name", "web", "-l", "team=ops", IMAGE, "sleep", "1000");
        assertThat(run.exit()).as(run.all()).isZero();
        String id = run.out().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        docker("create", "--name", "idle", IMAGE, "true");
        assertThat(docker("ps", "--format", "{{.Names}} {{.Status}}").out().strip()).matches("web Up .*");
        assertThat(docker("ps", "-q").out().strip()).isEqualTo(id.substring(0, 12));
        assertThat(docker("ps", "-q", "--no-trunc").out().strip()).isEqualTo(id);
        assertThat(lines(docker("ps", "-a", "--format", "{{.Names}}").out())).containsExactly("idle", "web");
        assertThat(docker("ps", "-a", "--filter", "name=we", "--format", "{{.Names}}").out().strip()).isEqualTo("web");
        assertThat(docker("ps", "-a", "--filter", "status=created", "--format", "{{.Names}}").out().strip()).isEqualTo("idle");
        assertThat(docker("ps", "--filter", "label=team=ops", "--format", "{{.Names}}").out().strip()).isEqualTo("web");
        assertThat(docker("ps", "--filter", "label=team=dev", "-q").out()).isBlank();
        assertThat(lines(docker("ps", "-a", "--filter", "ancestor=" + IMAGE, "--format", "{{.Names}}").out())).hasSize(2);
        assertThat(docker("ps", "-a", "--format", "{{.Command}}", "--filter", "name=web").out().strip()).isEqualTo("\"sleep 1000\"");

        JsonNode inspect = inspect("web");
        assertThat(inspect.at("/State/Status").asText()).isEqualTo("running");
        assertThat(inspect.at("/State/Running").asBoolean()).isTrue();
        assertThat(inspect.at("/State/Pid").asInt()).isPositive();
        assertThat(inspect.get("Name").asText()).isEqualTo("/web");
        assertThat(inspect.at("/Config/Hostname").asText()).isEqualTo(id.substring(0, 12));
        assertThat(inspect.at("/Config/Labels/team").asText()).isEqualTo("ops");
        assertThat(inspect.at("/Config/Env").toString()).contains("FROM_IMAGE=yes");
        assertThat(inspect.get("Image").asText()).startsWith("sha256:");
        assertThat(inspect.at("/GraphDriver/Name").asText()).isEqualTo("overlay2");
        JsonNode reference = JSON.readTree(Path.of("src/test/resources/dockerd-20.10/container-inspect-running.json").toFile());
        assertThat(fieldNames(inspect)).containsAll(fieldNames(reference));
        assertThat(fieldNames(inspect.get("State"))).containsAll(fieldNames(reference.get("State")));
        assertThat(fieldNames(inspect.get("HostConfig"))).containsAll(fieldNames(reference.get("HostConfig")));

        Result rm = docker("rm", "web");
        assertThat(rm.exit()).isEqualTo(1);
        assertThat(rm.err()).contains("You cannot remove a running container " + id);

        // sleep as pid 1 ignores SIGTERM: killed after the timeout
        Result stop = docker("stop", "-t", "1", "web");
        assertThat(stop.exit()).as(stop.all()).isZero();
        assertThat(inspect("web").at("/State/ExitCode").asInt()).isEqualTo(137);
        assertThat(docker("ps", "-a", "--filter", "exited=137", "--format", "{{.Names}}").out().strip()).isEqualTo("web");
        assertThat(docker("ps", "-a", "--filter", "name=web", "--format", "{{.Status}}").out().strip()).startsWith("Exited (137)");
        Result kill = docker("kill", "web");
        assertThat(kill.exit()).isEqualTo(1);
        assertThat(kill.err()).contains("is not running");

        assertThat(docker("start", "web").exit()).isZero();
        assertThat(inspect("web").at("/State/Running").asBoolean()).isTrue();
        assertThat(docker("restart", "-t", "0", "web").exit()).isZero();
        assertThat(inspect("web").at("/State/Status").asText()).isEqualTo("running");
        assertThat(docker("kill", "-s", "SIGKILL", "web").exit()).isZero();
        Result wait = docker("wait", "web");
        assertThat(wait.out().strip()).isEqualTo("137");

        assertThat(docker("rename", "web", "web2").exit()).isZero();
        assertThat(inspect("web2").get("Name").asText()).isEqualTo("/web2");
        Result clash = docker("rename", "web2", "idle");
        assertThat(clash.err()).contains("The container name \"/idle\" is already in use");
        Result dup = docker("create", "--name", "idle", IMAGE, "true");
        assertThat(dup.exit()).isEqualTo(1);
        assertThat(dup.err()).contains("Conflict. The container name \"/idle\" is already in use by container");

        docker("start", "web2");
        assertThat(docker("rm", "-f", "web2").exit()).isZero();
        assertThat(docker("rm", "idle").exit()).isZero();
        assertThat(docker("ps", "-aq").out()).isBlank();
    }

    // ---- create flags ----

    @Test
    @Order(4)
    void createFlags_envWorkdirUserHostnameEntrypoint() throws Exception {
        Path envFile = Files.writeString(tmp.resolve("env.list"), "FROM_FILE=1\n");
        Result env = docker("run", "--rm", "-e", "A=b", "--env-file", envFile.toString(), IMAGE, "env");
        assertThat(lines(env.out())).contains("A=b", "FROM_FILE=1", "FROM_IMAGE=yes", "HOME=/root")
                .anyMatch(l -> l.startsWith("PATH=/usr/local/sbin"));
        assertThat(docker("run", "--rm", "-w", "/made/here", IMAGE, "pwd").out().strip()).isEqualTo("/made/here");
        assertThat(docker("run", "--rm", "-u", "1000:1000", IMAGE, "id").out().strip()).isEqualTo("uid=1000 gid=1000");
        assertThat(docker("run", "--rm", "-u", "nobody", IMAGE, "id").out().strip()).isEqualTo("uid=65534(nobody) gid=65534(nogroup)");
        assertThat(docker("run", "--rm", "-u", "ghost", IMAGE, "id").err()).contains("unable to find user ghost");
        assertThat(docker("run", "--rm", "--hostname", "box", IMAGE, "hostname").out().strip()).isEqualTo("box");
        Result dflt = docker("run", "-d", IMAGE, "sleep", "5");
        String shortId = dflt.out().strip().substring(0, 12);
        assertThat(docker("logs", shortId).out()).isEmpty();
        docker("rm", "-f", shortId);
        assertThat(docker("run", "--rm", IMAGE, "hostname").out().strip()).matches("[0-9a-f]{12}");
        assertThat(docker("run", "--rm", "--entrypoint", "echo", IMAGE, "from", "entrypoint").out().strip()).isEqualTo("from entrypoint");
        Result bind = docker("run", "--rm", "--volumes-from", "other", IMAGE, "true");
        assertThat(bind.exit()).isEqualTo(125);
        assertThat(bind.err()).contains("not supported yet");
    }

    @Test
    @Order(5)
    void interactive_stdinReachesTheContainer() throws Exception {
        Result r = dockerWithInput("hello\n", "run", "-i", "--rm", IMAGE, "cat");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("hello\n");
    }

    // ---- restart policies ----

    @Test
    @Order(6)
    void restartPolicies_onFailureStopsAfterTheCount_alwaysRestarts() throws Exception {
        docker("run", "-d", "--name", "flaky", "--restart", "on-failure:2", IMAGE, "sh", "-c", "exit 1");
        await(() -> {
            JsonNode s = inspectQuietly("flaky");
            return s != null && s.get("RestartCount").asInt() == 2 && s.at("/State/Status").asText().equals("exited");
        });
        assertThat(inspect("flaky").at("/State/ExitCode").asInt()).isEqualTo(1);
        docker("run", "-d", "--name", "always", "--restart", "always", IMAGE, "sh", "-c", "sleep 0.2; exit 0");
        await(() -> {
            JsonNode s = inspectQuietly("always");
            return s != null && s.get("RestartCount").asInt() >= 2;
        });
        assertThat(docker("stop", "-t", "1", "always").exit()).isZero();
        int count = inspect("always").get("RestartCount").asInt();
        Thread.sleep(1000);
        assertThat(inspect("always").at("/State/Status").asText()).isEqualTo("exited");
        assertThat(inspect("always").get("RestartCount").asInt()).isEqualTo(count);
        docker("rm", "-f", "flaky", "always");
    }

    // ---- logs, events ----

    @Test
    @Order(7)
    void logsAndEvents_ofARunContainer() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        Result run = docker("run", "--name", "talker", IMAGE, "sh", "-c", "echo out; echo err >&2");
        assertThat(run.out()).isEqualTo("out\n");
        assertThat(run.err()).isEqualTo("err\n");
        Result logs = docker("logs", "talker");
        assertThat(logs.out()).isEqualTo("out\n");
        assertThat(logs.err()).isEqualTo("err\n");
        String id = inspect("talker").get("Id").asText();
        docker("rm", "talker");
        Result events = docker("events", "--since", Long.toString(since.getEpochSecond()), "--until",
                Long.toString(Instant.now().getEpochSecond() + 1), "--filter", "container=" + id, "--format", "{{.Action}}");
        assertThat(lines(events.out())).containsSubsequence("create", "attach", "start", "die", "destroy");
    }

    // ---- limits ----

    @Test
    @Order(8)
    void limits_memoryOomPidsAndCpus() throws Exception {
        Result oom = docker("run", "--name", "hog", "-m", "32m", IMAGE, "sh", "-c", "head -c 200m /dev/zero | tail");
        assertThat(oom.exit()).as(oom.all()).isEqualTo(137);
        assertThat(inspect("hog").at("/State/OOMKilled").asBoolean()).isTrue();
        docker("rm", "hog");

        Result bomb = docker("run", "-d", "--name", "bomb", "--pids-limit", "32", IMAGE, "sh", "-c",
                "b() { b | b & }; b; sleep 1000");
        assertThat(bomb.exit()).as(bomb.all()).isZero();
        Path pidsMax = Path.of("/sys/fs/cgroup/pids", cgroupParent, bomb.out().strip(), "pids.max");
        if (Files.exists(pidsMax)) {
            assertThat(Files.readString(pidsMax).strip()).isEqualTo("32");
        }
        Thread.sleep(1000);
        assertThat(docker("stop", "-t", "1", "bomb").exit()).isZero();
        assertThat(inspect("bomb").at("/State/Running").asBoolean()).isFalse();
        docker("rm", "bomb");

        Result cpu = docker("run", "-d", "--name", "half", "--cpus", "0.5", IMAGE, "sleep", "1000");
        Path quota = Path.of("/sys/fs/cgroup/cpu,cpuacct", cgroupParent, cpu.out().strip(), "cpu.cfs_quota_us");
        if (!Files.exists(quota)) {
            quota = Path.of("/sys/fs/cgroup/cpu", cgroupParent, cpu.out().strip(), "cpu.cfs_quota_us");
        }
        assertThat(Files.readString(quota).strip()).isEqualTo("50000");
        docker("rm", "-f", "half");
    }

    // ---- isolation ----

    @Test
    @Order(9)
    void isolation_insideAContainer() throws Exception {
        assertThat(lines(docker("run", "--rm", IMAGE, "ps", "-o", "pid,comm").out()))
                .containsExactly("PID   COMMAND", "    1 ps");
        assertThat(docker("run", "--rm", IMAGE, "cat", "/proc/kcore").out()).isEmpty();
        Result sys = docker("run", "--rm", IMAGE, "sh", "-c", "echo 1 > /proc/sys/kernel/domainname");
        assertThat(sys.exit()).isNotZero();
        assertThat(docker("run", "--rm", IMAGE, "grep", "CapBnd", "/proc/self/status").out().strip())
                .isEqualTo("CapBnd:\t00000000a80425fb");
        assertThat(docker("run", "--rm", IMAGE, "ls", "/").out()).doesNotContain("usr").doesNotContain("home");
        assertThat(lines(docker("run", "--rm", IMAGE, "ls", "/proc/self/fd").out())).containsExactly("0", "1", "2", "3");
        // its own network namespace: only a loopback interface with --network none, lo and eth0 on the bridge
        assertThat(lines(docker("run", "--rm", "--network", "none", IMAGE, "cat", "/proc/net/dev").out()).stream().skip(2)
                .map(l -> l.strip().split(":")[0])).containsExactly("lo");
        assertThat(lines(docker("run", "--rm", IMAGE, "cat", "/proc/net/dev").out()).stream().skip(2).map(l -> l.strip().split(":")[0]))
                .containsExactlyInAnyOrder("lo", "eth0");
    }

    // ---- re-adoption ----

    @Test
    @Order(10)
    void agentKilled_runningContainersAreReadopted() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Result r = docker("run", "-d", "--name", "tick" + i, IMAGE, "sh", "-c", "i=0; while true; do echo line$i; i=$((i+1)); sleep 1; done");
            assertThat(r.exit()).as(r.all()).isZero();
            ids.add(r.out().strip());
        }
        agent.process.destroyForcibly(); // SIGKILL
        agent.process.waitFor(60, TimeUnit.SECONDS);
        Thread.sleep(3000);
        startAgent();
        assertThat(lines(docker("ps", "-q", "--no-trunc").out())).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            JsonNode state = inspect(id).get("State");
            assertThat(state.get("Running").asBoolean()).isTrue();
        }
        String logs = docker("logs", "tick0").out();
        assertThat(lines(logs).size()).isGreaterThanOrEqualTo(3); // printed while the agent was down too
        for (int i = 0; i < lines(logs).size(); i++) {
            assertThat(lines(logs).get(i)).isEqualTo("line" + i);
        }
        for (String id : ids) {
            assertThat(docker("stop", "-t", "0", id).exit()).isZero();
        }
        assertThat(docker("ps", "-q").out()).isBlank();
        assertThat(docker("ps", "-a", "--filter", "exited=137", "--filter", "name=tick", "-q").out().lines().count()).isEqualTo(20);
    }

    // ---- helpers ----

    private JsonNode inspect(String name) throws Exception {
        Result r = docker("inspect", name);
        assertThat(r.exit()).as(r.all()).isZero();
        return JSON.readTree(r.out()).get(0);
    }

    private JsonNode inspectQuietly(String name) {
        try {
            Result r = docker("inspect", name);
            return r.exit() == 0 ? JSON.readTree(r.out()).get(0) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + DEADLINE);
            }
            Thread.sleep(100);
        }
    }

    private static List<String> lines(String s) {
        return s.lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private Result docker(String... args) throws Exception {
        return dockerWithInput(null, args);
    }

    private Result dockerWithInput(String input, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + agent.socket));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

}
