package io.hawser.agent;

import static io.hawser.agent.CliTestCleanup.findOnPath;
import static io.hawser.agent.CliTestCleanup.removeCgroups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.storage.TarWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker exec (-e, -w, -u, -d, exit codes, events, a stopped container, -it with an interactive shell and a
 * resize), TTYs from the container's own devpts ({@code docker run -t IMAGE tty}), the container resize, and
 * docker attach to a TTY with the detach keys. The CLI gets a terminal from script(1), its stdin a pipe this
 * test types into. One agent for the class, a unique cgroup parent and run directory, all removed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecTtyDockerCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String IMAGE = "bbtty:1";

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;
    private Path runDir;
    private String cgroupParent;
    private final List<Process> background = new ArrayList<>();

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** script(1) running the CLI: we type into stdin, the terminal's output collects in a file. */
    record Term(Process process, OutputStream keys, Path outFile) {
        String out() throws IOException {
            return Files.readString(outFile, StandardCharsets.ISO_8859_1);
        }

        void type(String s) throws IOException {
            keys.write(s.getBytes(StandardCharsets.ISO_8859_1));
            keys.flush();
        }
    }

    @BeforeAll
    void start() throws Exception {
        docker = findOnPath("docker");
        assumeTrue(docker != null, "the docker CLI is not on PATH on this machine");
        assumeTrue(findOnPath("script") != null && findOnPath("curl") != null, "script(1) and curl are needed");
        assumeTrue(BusyboxImage.available(), "busybox-static is not installed (apt-get install busybox-static)");
        String unique = UUID.randomUUID().toString().substring(0, 8);
        runDir = Path.of("/tmp/hwx-" + unique);
        cgroupParent = "hawser-itx-" + unique;
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent.log"),
                List.of("--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent), List.of());
        Path tar = tmp.resolve("busybox.tar");
        Files.write(tar, image());
        Result r = docker("import", "-c", "CMD [\"sh\"]", tar.toString(), IMAGE);
        assertThat(r.exit()).as(r.all()).isZero();
    }

    /** BusyboxImage plus the applets these tests need (tty, stty, ln). */
    private static byte[] image() throws IOException {
        TarWriter tar = new TarWriter().directory("./", 0755);
        for (String dir : List.of("bin/", "etc/", "tmp/", "proc/", "sys/", "dev/", "root/", "var/")) {
            tar.directory(dir, dir.equals("tmp/") ? 01777 : 0755);
        }
        tar.file("bin/busybox", 0755, Files.readAllBytes(BusyboxImage.BUSYBOX));
        List<String> applets = new ArrayList<>(BusyboxImage.APPLETS);
        applets.addAll(List.of("tty", "stty", "ln"));
        for (String applet : applets) {
            tar.symlink("bin/" + applet, "busybox");
        }
        tar.file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n".getBytes());
        tar.file("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n".getBytes());
        return tar.finish();
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            for (Process p : background) {
                p.destroyForcibly();
            }
            if (agent != null && agent.process.isAlive()) {
                for (String id : docker("ps", "-aq").out().split("\\s+")) {
                    if (!id.isBlank()) {
                        docker("rm", "-f", id);
                    }
                }
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
            killLeftoverShims();
            CliTestCleanup.unmountUnder(tmp);
            removeCgroups(cgroupParent);
            deleteTree(runDir);
        }
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    }

    @Test
    void runTty_isAPtyOfTheContainersDevpts() throws Exception {
        Result r = underTerminal("run --rm -t " + IMAGE + " tty");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out().replace("\r", "").strip()).as(r.all()).isEqualTo("/dev/pts/0");
    }

    @Test
    void exec_envWorkdirUserDetachExitCodesAndEvents() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        Result run = docker("run", "-d", "--name", "ex", "--hostname", "boxy", IMAGE, "sleep", "1000");
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(docker("exec", "ex", "hostname").out()).isEqualTo("boxy\n");
        assertThat(docker("exec", "-e", "A=b", "ex", "sh", "-c", "echo $A").out()).isEqualTo("b\n");
        assertThat(docker("exec", "-w", "/tmp", "ex", "pwd").out()).isEqualTo("/tmp\n");
        assertThat(docker("exec", "-u", "nobody", "ex", "id", "-u").out()).isEqualTo("65534\n");
        Result err = docker("exec", "ex", "sh", "-c", "echo to-err >&2");
        assertThat(err.err()).isEqualTo("to-err\n");
        assertThat(err.out()).isEmpty();
        Result four = docker("exec", "ex", "sh", "-c", "exit 4");
        assertThat(four.exit()).as(four.all()).isEqualTo(4);
        Result d = docker("exec", "-d", "ex", "sh", "-c", "sleep 1; echo later > /tmp/d");
        assertThat(d.exit()).as(d.all()).isZero();
        assertThat(d.out()).isEmpty();
        await(() -> quietly("exec", "ex", "cat", "/tmp/d").equals("later\n"));
        // the exec is in the container's pid namespace and cgroup
        assertThat(docker("exec", "ex", "sh", "-c", "echo $$").out().strip()).isNotEqualTo("1");
        Result events = docker("events", "--since", seconds(since), "--until", seconds(Instant.now()), "--filter",
                "container=ex", "--format", "{{.Action}}|{{.Actor.Attributes.exitCode}}");
        assertThat(events.out().lines().toList()).as(events.all())
                .contains("exec_create: hostname |<no value>", "exec_start: hostname |<no value>", "exec_die|0",
                        "exec_create: sh -c exit 4|<no value>", "exec_start: sh -c exit 4|<no value>", "exec_die|4");
    }

    @Test
    void exec_inAStoppedContainer_isDockerdsConflict() throws Exception {
        Result create = docker("create", "--name", "stopped", IMAGE, "true");
        assertThat(create.exit()).as(create.all()).isZero();
        String id = create.out().strip();
        Result r = docker("exec", "stopped", "true");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error response from daemon: Container " + id + " is not running\n");
    }

    @Test
    void execIt_interactiveShellUnderAPty_withResize() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        assertThat(docker("run", "-d", "--name", "sh1", IMAGE, "sleep", "1000").exit()).isZero();
        Term t = terminal("exec -it sh1 sh");
        t.type("tty; echo $((6*7))\n");
        await(() -> out(t).contains("42"));
        assertThat(out(t)).contains("/dev/pts/0"); // the container's devpts: its first pty
        String execId = lastLine(docker("events", "--since", seconds(since), "--until", seconds(Instant.now()),
                "--filter", "container=sh1", "--filter", "event=exec_start", "--format", "{{.Actor.Attributes.execID}}").out());
        Result resize = curl("POST", "/exec/" + execId + "/resize?h=33&w=77");
        assertThat(resize.exit()).as(resize.all()).isZero();
        t.type("stty size\n");
        await(() -> out(t).contains("33 77"));
        t.type("exit 3\n");
        assertThat(t.process().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(t.process().exitValue()).as(out(t)).isEqualTo(3);
    }

    @Test
    void containerResize_setsTheTtySize() throws Exception {
        assertThat(docker("run", "-dit", "--name", "rz", IMAGE, "sh").exit()).isZero();
        Result resize = curl("POST", "/containers/rz/resize?h=21&w=99");
        assertThat(resize.exit()).as(resize.all()).isZero();
        assertThat(docker("exec", "rz", "stty", "size", "-F", "/dev/pts/0").out()).isEqualTo("21 99\n");
    }

    @Test
    void attachToATty_detachKeysLeaveItRunning() throws Exception {
        assertThat(docker("run", "-dit", "--name", "at", IMAGE, "sh").exit()).isZero();
        Term t = terminal("attach at");
        for (int i = 0; !out(t).contains("hi2"); i++) {
            assertThat(i).as("attach did not answer: " + out(t)).isLessThan(300);
            t.type("echo hi$((1+1))\n"); // typed before the attach is in place it may be lost: repeat
            Thread.sleep(200);
        }
        t.type("\u0010\u0011"); // ctrl-p ctrl-q
        assertThat(t.process().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as(out(t)).isTrue();
        assertThat(docker("inspect", "-f", "{{.State.Running}}", "at").out()).isEqualTo("true\n");
        assertThat(docker("exec", "at", "echo", "alive").out()).isEqualTo("alive\n");
    }

    @Test
    void execUser_passwdSymlinkedToAHostFile_isNotRead() throws Exception {
        Path host = Path.of("/tmp/hawser-hostile-passwd-" + UUID.randomUUID());
        String content = "hostile:x:4242:4242::/:/bin/sh\n";
        Files.writeString(host, content);
        try {
            Result run = docker("run", "-d", "--name", "hp", IMAGE, "sh", "-c",
                    "rm /etc/passwd && ln -s " + host + " /etc/passwd && sleep 1000");
            assertThat(run.exit()).as(run.all()).isZero();
            await(() -> quietly("exec", "hp", "sh", "-c", "test -L /etc/passwd && echo link").equals("link\n"));
            Result r = docker("exec", "-u", "hostile", "hp", "id", "-u");
            assertThat(r.exit()).as(r.all()).isEqualTo(126); // dockerd's code for an exec that could not start
            assertThat(r.all()).contains("unable to find user hostile: no matching entries in passwd file")
                    .doesNotContain("4242");
            assertThat(Files.readString(host)).isEqualTo(content);
        } finally {
            Files.deleteIfExists(host);
        }
    }

    // ---- helpers ----

    private String out(Term t) {
        try {
            return t.out();
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String s) {
        List<String> lines = s.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        return lines.get(lines.size() - 1).strip();
    }

    private Result curl(String method, String path) throws Exception {
        return run(List.of("curl", "-sf", "--unix-socket", agent.socket.toString(), "-X", method, "http://localhost" + path));
    }

    private String quietly(String... args) {
        try {
            return docker(args).out();
        } catch (Exception e) {
            return "";
        }
    }

    private static String seconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
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

    private Result docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + agent.socket));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private String cli(String dockerArgs) {
        return docker + " -H unix://" + agent.socket + " " + dockerArgs;
    }

    private Result underTerminal(String dockerArgs) throws Exception {
        return run(List.of("script", "-qec", cli(dockerArgs), "/dev/null"));
    }

    private Term terminal(String dockerArgs) throws IOException {
        Path out = Files.createTempFile(tmp, "term", ".out");
        Process p = new ProcessBuilder("script", "-qec", cli(dockerArgs), "/dev/null").redirectOutput(out.toFile())
                .redirectErrorStream(true).start();
        background.add(p);
        return new Term(p, p.getOutputStream(), out);
    }

    private Result run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private void killLeftoverShims() throws IOException, InterruptedException {
        if (runDir == null || !Files.isDirectory(runDir)) {
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
