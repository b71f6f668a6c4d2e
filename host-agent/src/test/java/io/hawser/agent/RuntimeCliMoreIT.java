package io.hawser.agent;

import static io.hawser.agent.CliTestCleanup.findOnPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * More of the docker CLI against the packaged agent, beyond {@link ContainersDockerCliIT}: logs (tail, since/until,
 * timestamps, follow, rotation), live and filtered events, signals and stop signals, unless-stopped and the
 * restart backoff, what an agent restart starts again, attach and tty, pause, top/diff/stats/info, ps filters
 * and formats, rmi of a used image and the run flags' errors. One agent (started with SIGHUP and SIGINT ignored,
 * as under nohup, which containers must not inherit) and one image for the class; a unique cgroup parent and a
 * short run directory; everything is removed in {@link #cleanUp()} whatever happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RuntimeCliMoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String IMAGE = "bbm:1";
    /** The agent as a nohup'd job would run it: SIGHUP and SIGINT ignored, then exec'd (same pid). */
    private static final List<String> IGNORING_HUP = List.of("sh", "-c", "trap '' HUP INT; exec \"$@\"", "sh");

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;
    private Path runDir;
    private String cgroupParent;
    private List<String> agentArgs;
    private int agentStarts;
    private final List<Process> background = new ArrayList<>();

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** A docker command left running: its output goes to files read while it runs. */
    record Bg(Process process, Path outFile, Path errFile) {
        String out() throws IOException {
            return Files.readString(outFile);
        }

        String err() throws IOException {
            return Files.readString(errFile);
        }
    }

    @BeforeAll
    void start() throws Exception {
        docker = findOnPath("docker");
        assumeTrue(docker != null, "the docker CLI is not on PATH on this machine");
        assumeTrue(BusyboxImage.available(), "busybox-static is not installed (apt-get install busybox-static)");
        String unique = UUID.randomUUID().toString().substring(0, 8);
        runDir = Path.of("/tmp/hwm-" + unique); // short: the shims' unix sockets live below it
        cgroupParent = "hawser-itm-" + unique;
        agentArgs = List.of("--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent);
        startAgent();
        Path tar = BusyboxImage.write(tmp.resolve("busybox.tar"));
        Result r = docker("import", "-c", "CMD [\"sh\"]", tar.toString(), IMAGE);
        assertThat(r.exit()).as(r.all()).isZero();
    }

    private void startAgent() throws Exception {
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent" + agentStarts++ + ".log"),
                agentArgs, IGNORING_HUP);
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
            removeCgroups();
            deleteTree(runDir);
        }
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    }

    // ---- logs ----

    @Test
    @Order(1)
    void logs_followTailTimestampsSinceUntil_streamsApart() throws Exception {
        Result run = docker("run", "-d", "--name", "lg", IMAGE, "sh", "-c",
                "for i in 1 2 3 4 5 6; do echo out$i; echo err$i >&2; sleep 1; done");
        assertThat(run.exit()).as(run.all()).isZero();
        Bg follow = background(null, "logs", "-f", "lg");
        assertThat(follow.process().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("logs -f ends when the container exits").isTrue();
        assertThat(follow.process().exitValue()).isZero();
        assertThat(follow.out()).isEqualTo("out1\nout2\nout3\nout4\nout5\nout6\n");
        assertThat(follow.err()).isEqualTo("err1\nerr2\nerr3\nerr4\nerr5\nerr6\n");

        Result tail = docker("logs", "--tail", "2", "lg"); // the last two records, one per stream
        assertThat(tail.out()).isEqualTo("out6\n");
        assertThat(tail.err()).isEqualTo("err6\n");
        assertThat(docker("logs", "--tail", "0", "lg").all()).isEmpty();

        List<String> stamped = lines(docker("logs", "-t", "lg").out());
        assertThat(stamped).hasSize(6).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z out\\d"));
        String t3 = stamped.get(2).split(" ")[0];
        String t5 = stamped.get(4).split(" ")[0];
        Result window = docker("logs", "--since", t3, "--until", t5, "lg"); // both ends inclusive, as dockerd
        assertThat(window.out()).isEqualTo("out3\nout4\nout5\n");
        assertThat(window.err()).isEqualTo("err3\nerr4\n");
        assertThat(docker("logs", "--since", t5, "lg").out()).isEqualTo("out5\nout6\n");
        assertThat(docker("logs", "--until", t3, "lg").out()).isEqualTo("out1\nout2\nout3\n");
        docker("rm", "lg");
    }

    @Test
    @Order(2)
    void logs_rotationKeepsMaxFilesAndTheNewestLinesInOrder() throws Exception {
        Result run = docker("run", "--name", "rot", "--log-opt", "max-size=1k", "--log-opt", "max-file=3", IMAGE, "sh", "-c",
                "i=0; while [ $i -lt 300 ]; do echo line$i; i=$((i+1)); done");
        assertThat(run.exit()).as(run.all()).isZero();
        Path log = Path.of(docker("inspect", "-f", "{{.LogPath}}", "rot").out().strip());
        String base = log.getFileName().toString();
        assertThat(base).endsWith("-json.log");
        List<String> logFiles;
        try (Stream<Path> files = Files.list(log.getParent())) {
            logFiles = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(base)).sorted().toList();
        }
        assertThat(logFiles).containsExactly(base, base + ".1", base + ".2");
        for (String f : logFiles) {
            assertThat(Files.size(log.resolveSibling(f))).isLessThanOrEqualTo(1024 + 100); // a record may end past max-size
        }
        List<String> kept = lines(docker("logs", "rot").out());
        assertThat(kept).isNotEmpty().last().isEqualTo("line299");
        int first = Integer.parseInt(kept.get(0).substring("line".length()));
        assertThat(first).isPositive(); // the oldest lines were rotated away
        for (int i = 0; i < kept.size(); i++) {
            assertThat(kept.get(i)).isEqualTo("line" + (first + i));
        }
        assertThat(docker("logs", "--tail", "2", "rot").out()).isEqualTo("line298\nline299\n");
        docker("rm", "rot");
    }

    // ---- events ----

    @Test
    @Order(3)
    void events_liveWithoutUntil_linesArriveAsThingsHappen() throws Exception {
        String label = "live=" + UUID.randomUUID();
        Bg events = background(null, "events", "--filter", "type=container", "--filter", "label=" + label,
                "--format", "{{.Actor.Attributes.name}} {{.Action}}");
        // the subscription is in place once a probe's event arrives
        for (int i = 0; !events.out().contains("probe"); i++) {
            assertThat(i).as("no live event within the deadline").isLessThan(600);
            docker("create", "--name", "probe" + i, "-l", label, IMAGE, "true");
            Thread.sleep(100);
        }
        docker("run", "-d", "--name", "evlive", "-l", label, IMAGE, "sleep", "100");
        awaitOutput(events, "evlive start");
        docker("stop", "-t", "1", "evlive");
        awaitOutput(events, "evlive stop");
        docker("rm", "evlive");
        awaitOutput(events, "evlive destroy");
        assertThat(events.process().isAlive()).as("live events stream until the client leaves").isTrue();
        List<String> mine = lines(events.out()).stream().filter(l -> l.startsWith("evlive ")).toList();
        assertThat(mine).containsExactly("evlive create", "evlive start", "evlive kill", "evlive kill", "evlive die", "evlive stop",
                "evlive destroy");
        events.process().destroy();
        for (String id : lines(docker("ps", "-aq", "--filter", "label=" + label).out())) {
            docker("rm", id);
        }
    }

    @Test
    @Order(4)
    void events_sinceUntilFilters_dieExitCode_killSignal_renameRestartOom() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        assertThat(docker("run", "--name", "evf", "-l", "k=v", IMAGE, "sh", "-c", "exit 3").exit()).isEqualTo(3);
        String evk = docker("run", "-d", "--name", "evk", IMAGE, "sleep", "100").out().strip();
        docker("kill", "-s", "HUP", "evk"); // sleep as pid 1 has no handler: ignored, but the kill event is there
        docker("kill", "evk");
        assertThat(docker("wait", "evk").out().strip()).isEqualTo("137");
        assertThat(docker("rename", "evk", "evk2").exit()).isZero();
        assertThat(docker("restart", "-t", "0", "evk2").exit()).isZero();
        docker("rm", "-f", "evk2");
        Result oom = docker("run", "--name", "evoom", "-m", "16m", IMAGE, "sh", "-c", "head -c 100m /dev/zero | tail");
        assertThat(oom.exit()).as(oom.all()).isEqualTo(137);
        String until = untilNow();

        Result dies = docker("events", "--since", seconds(since), "--until", until, "--filter", "event=die", "--filter", "type=container",
                "--format", "{{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}");
        assertThat(lines(dies.out())).contains("evf 3", "evk 137", "evk2 137", "evoom 137").allMatch(l -> l.matches("\\S+ \\d+"));
        Result kills = docker("events", "--since", seconds(since), "--until", until, "--filter", "event=kill", "--filter", "container=" + evk,
                "--format", "{{json .Actor.Attributes}}");
        List<JsonNode> killAttributes = new ArrayList<>();
        for (String l : lines(kills.out())) {
            killAttributes.add(JSON.readTree(l));
        }
        assertThat(killAttributes).extracting(a -> a.get("name").asText() + " " + a.get("signal").asText())
                .containsExactly("evk 1", "evk 9", "evk2 9"); // kill -s HUP, kill, rm -f
        assertThat(killAttributes).allMatch(a -> a.get("image").asText().equals(IMAGE));
        assertThat(lines(docker("events", "--since", seconds(since), "--until", until, "--filter", "label=k=v",
                "--format", "{{.Actor.Attributes.name}} {{.Action}}").out()))
                .containsExactly("evf create", "evf attach", "evf start", "evf die");
        assertThat(lines(docker("events", "--since", seconds(since), "--until", until, "--filter", "image=" + IMAGE,
                "--filter", "event=create", "--format", "{{.Actor.Attributes.name}}").out())).containsExactly("evf", "evk", "evoom");
        assertThat(docker("events", "--since", seconds(since), "--until", until, "--filter", "image=nosuch:1").out()).isBlank();
        assertThat(lines(docker("events", "--since", seconds(since), "--until", until, "--filter", "event=rename",
                "--format", "{{.Actor.Attributes.name}} {{.Actor.Attributes.oldName}}").out())).containsExactly("evk2 /evk");
        assertThat(lines(docker("events", "--since", seconds(since), "--until", until, "--filter", "container=evk2",
                "--filter", "event=restart", "--filter", "event=start", "--format", "{{.Action}}").out())).containsExactly("start", "restart");
        assertThat(lines(docker("events", "--since", seconds(since), "--until", until, "--filter", "container=evoom",
                "--format", "{{.Action}}").out())).containsSubsequence("start", "oom", "die");
        docker("rm", "evf", "evoom");
    }

    // ---- signals ----

    @Test
    @Order(5)
    void kill_signalsReachATrappingInit_evenWithHupIgnoredByTheAgent() throws Exception {
        Result run = docker("run", "-d", "--name", "trap", IMAGE, "sh", "-c",
                "trap 'echo got USR1' USR1; trap 'echo got HUP' HUP; trap 'echo got TERM; exit 7' TERM; echo ready; "
                        + "while true; do sleep 0.2; done");
        assertThat(run.exit()).as(run.all()).isZero();
        awaitLogs("trap", "ready\n");
        assertThat(docker("kill", "-s", "SIGUSR1", "trap").exit()).isZero();
        awaitLogs("trap", "ready\ngot USR1\n");
        assertThat(docker("kill", "-s", "HUP", "trap").exit()).isZero();
        awaitLogs("trap", "ready\ngot USR1\ngot HUP\n");
        assertThat(docker("kill", "-s", "15", "trap").exit()).isZero();
        assertThat(docker("wait", "trap").out().strip()).isEqualTo("7");
        assertThat(docker("logs", "trap").out()).isEqualTo("ready\ngot USR1\ngot HUP\ngot TERM\n");
        Result bad = docker("kill", "-s", "NOSUCH", "trap");
        assertThat(bad.exit()).isNotZero();
        docker("rm", "trap");
    }

    @Test
    @Order(6)
    void stop_sendsTheStopSignal_thenSigkillAfterTheTimeout() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        docker("run", "-d", "--name", "usr1", "--stop-signal", "SIGUSR1", "--stop-timeout", "30", IMAGE, "sh", "-c",
                "trap 'echo bye; exit 3' USR1; echo ready; while true; do sleep 0.2; done");
        awaitLogs("usr1", "ready\n");
        JsonNode cfg = inspect("usr1").get("Config");
        assertThat(cfg.get("StopSignal").asText()).isEqualTo("SIGUSR1");
        assertThat(cfg.get("StopTimeout").asInt()).isEqualTo(30);
        assertThat(docker("stop", "usr1").exit()).isZero(); // exits on the signal, long before the 30 s
        assertThat(inspect("usr1").at("/State/ExitCode").asInt()).isEqualTo(3);
        assertThat(docker("logs", "usr1").out()).isEqualTo("ready\nbye\n");

        docker("run", "-d", "--name", "sleeper", "--stop-timeout", "1", IMAGE, "sleep", "100");
        assertThat(docker("stop", "sleeper").exit()).isZero(); // sleep as pid 1 ignores SIGTERM: SIGKILL after 1 s
        assertThat(inspect("sleeper").at("/State/ExitCode").asInt()).isEqualTo(137);
        assertThat(docker("stop", "sleeper").exit()).as("stopping a stopped container").isZero();
        String until = untilNow();
        assertThat(lines(docker("events", "--since", seconds(since), "--until", until, "--filter", "event=kill",
                "--filter", "container=usr1", "--filter", "container=sleeper", "--format", "{{.Actor.Attributes.name}} {{.Actor.Attributes.signal}}").out()))
                .containsExactly("usr1 10", "sleeper 15", "sleeper 9");
        docker("rm", "usr1", "sleeper");
    }

    // ---- restart policies ----

    @Test
    @Order(7)
    void restart_unlessStopped_backoffGrows_agentRestartStartsAlwaysButNotStoppedUnlessStopped() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        String id = docker("run", "-d", "--name", "flap", "--restart", "unless-stopped", IMAGE, "sh", "-c", "exit 2").out().strip();
        await(() -> {
            JsonNode s = inspectQuietly("flap");
            return s != null && s.get("RestartCount").asInt() >= 6;
        });
        assertThat(docker("stop", "-t", "1", "flap").exit()).isZero();
        int count = inspect("flap").get("RestartCount").asInt();
        Thread.sleep(1500);
        assertThat(inspect("flap").at("/State/Status").asText()).as("not restarted after docker stop").isEqualTo("exited");
        assertThat(inspect("flap").get("RestartCount").asInt()).isEqualTo(count);
        // dockerd's backoff: 100 ms doubled per restart; the pause between a die and the next start grows
        List<String> timeline = lines(docker("events", "--since", seconds(since), "--until", untilNow(), "--filter", "container=" + id,
                "--filter", "event=die", "--filter", "event=start", "--format", "{{.Action}} {{.TimeNano}}").out());
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i + 1 < timeline.size(); i++) {
            String[] a = timeline.get(i).split(" ");
            String[] b = timeline.get(i + 1).split(" ");
            if (a[0].equals("die") && b[0].equals("start")) {
                pauses.add(Long.parseLong(b[1]) - Long.parseLong(a[1]));
            }
        }
        assertThat(pauses).hasSizeGreaterThanOrEqualTo(5);
        // 0.1, 0.4 and 1.6 s: each four times the one before, ordered whatever the machine's load
        assertThat(pauses.get(0)).isLessThan(pauses.get(2));
        assertThat(pauses.get(2)).isLessThan(pauses.get(4));

        docker("run", "-d", "--name", "always-stopped", "--restart", "always", IMAGE, "sleep", "1000");
        docker("run", "-d", "--name", "unless-running", "--restart", "unless-stopped", IMAGE, "sleep", "1000");
        docker("run", "-d", "--name", "plain-stopped", IMAGE, "sleep", "1000");
        assertThat(docker("stop", "-t", "0", "always-stopped", "plain-stopped").exit()).isZero();
        agent.close(); // SIGKILL
        startAgent();
        await(() -> "running".equals(statusOf("always-stopped")));
        assertThat(statusOf("unless-running")).isEqualTo("running");
        Thread.sleep(1000);
        assertThat(statusOf("flap")).as("unless-stopped, stopped by the user: stays down").isEqualTo("exited");
        assertThat(statusOf("plain-stopped")).isEqualTo("exited");
        docker("rm", "-f", "flap", "always-stopped", "unless-running", "plain-stopped");
    }

    // ---- attach, tty ----

    @Test
    @Order(8)
    void attach_ttyAndAttachedStreams() throws Exception {
        docker("run", "-d", "-i", "--name", "catter", IMAGE, "cat");
        Bg attach = background("", "attach", "catter");
        try (OutputStream stdin = attach.process().getOutputStream()) {
            for (int i = 0; !attach.out().contains("hello"); i++) {
                assertThat(i).as("attach did not echo within the deadline").isLessThan(600);
                stdin.write("hello\n".getBytes(StandardCharsets.UTF_8)); // before the attach is in place it is lost: repeat
                stdin.flush();
                Thread.sleep(100);
            }
            assertThat(docker("kill", "catter").exit()).isZero();
            assertThat(attach.process().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(attach.process().exitValue()).as("attach exits with the container's status").isEqualTo(137);
        assertThat(docker("logs", "catter").out()).startsWith("hello\n");
        docker("rm", "catter");

        Result tty = underTerminal("run --rm -t " + IMAGE + " sh -c 'test -t 0 && test -t 1 && echo \"tty $TERM\"'");
        assertThat(tty.exit()).as(tty.all()).isZero();
        assertThat(tty.out().replace("\r", "")).as(tty.all()).isEqualTo("tty xterm\n"); // a pty's \r\n, once per terminal

        Result onlyOut = docker("run", "--rm", "-a", "stdout", IMAGE, "sh", "-c", "echo o; echo e >&2; exit 4");
        assertThat(onlyOut.exit()).isEqualTo(4);
        assertThat(onlyOut.out()).isEqualTo("o\n");
        assertThat(onlyOut.err()).isEmpty();
        Result both = docker("run", "--rm", "-a", "stdout", "-a", "stderr", IMAGE, "sh", "-c", "echo o; echo e >&2");
        assertThat(both.out()).isEqualTo("o\n");
        assertThat(both.err()).isEqualTo("e\n");
    }

    // ---- pause ----

    @Test
    @Order(9)
    void pause_freezesAndUnpauseThaws() throws Exception {
        docker("run", "-d", "--name", "ticker", IMAGE, "sh", "-c", "while true; do echo x; sleep 0.1; done");
        assertThat(docker("pause", "ticker").exit()).isZero();
        JsonNode state = inspect("ticker").get("State");
        assertThat(state.get("Status").asText()).isEqualTo("paused");
        assertThat(state.get("Paused").asBoolean()).isTrue();
        assertThat(docker("ps", "--filter", "name=ticker", "--format", "{{.Status}}").out().strip()).endsWith("(Paused)");
        assertThat(docker("ps", "--filter", "status=paused", "--format", "{{.Names}}").out().strip()).isEqualTo("ticker");
        int frozen = lines(docker("logs", "ticker").out()).size();
        Thread.sleep(1000);
        assertThat(lines(docker("logs", "ticker").out())).hasSize(frozen);
        assertThat(docker("pause", "ticker").err()).contains("is already paused");
        assertThat(docker("unpause", "ticker").exit()).isZero();
        assertThat(inspect("ticker").at("/State/Status").asText()).isEqualTo("running");
        await(() -> {
            try {
                return lines(docker("logs", "ticker").out()).size() > frozen;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(docker("unpause", "ticker").err()).contains("is not paused");
        docker("rm", "-f", "ticker");
    }

    // ---- top, diff, stats, info ----

    @Test
    @Order(10)
    void topDiffStatsInfo() throws Exception {
        docker("run", "-d", "--name", "busy", "-m", "64m", IMAGE, "sh", "-c", "sleep 1000 & sleep 1001; echo done");
        await(() -> {
            try {
                return docker("top", "busy", "-o", "pid,comm").out().lines().count() == 4;
            } catch (Exception e) {
                return false;
            }
        });
        List<String> top = lines(docker("top", "busy", "-o", "pid,comm").out());
        assertThat(top.get(0).split("\\s+")).containsExactly("PID", "COMMAND");
        assertThat(top.subList(1, 4)).extracting(l -> l.split("\\s+")[1]).containsExactly("sh", "sleep", "sleep");
        assertThat(top.get(1).split("\\s+")[0]).isEqualTo(inspect("busy").at("/State/Pid").asText());
        List<String> full = lines(docker("top", "busy").out());
        assertThat(full.get(0)).startsWith("UID").contains("PID", "PPID", "CMD");
        assertThat(full).anyMatch(l -> l.endsWith("sleep 1001"));

        Result stats = docker("stats", "--no-stream", "--format", "{{.Name}}|{{.MemUsage}}|{{.PIDs}}", "busy");
        String[] row = stats.out().strip().split("\\|");
        assertThat(row[0]).isEqualTo("busy");
        assertThat(row[1]).endsWith("/ 64MiB");
        assertThat(row[2]).isEqualTo("3");
        Result table = docker("stats", "--no-stream", "busy");
        assertThat(lines(table.out()).get(0)).contains("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "PIDS");
        Result streaming = run(List.of("timeout", "-s", "KILL", "4", docker.toString(), "-H", "unix://" + agent.socket, "stats",
                "--format", "{{.Name}} {{.PIDs}}", "busy"), null);
        assertThat(streaming.exit()).isEqualTo(137); // it streams until killed
        assertThat(streaming.out().split("busy 3", -1).length - 1).as(streaming.out()).isGreaterThanOrEqualTo(2);
        docker("rm", "-f", "busy");

        docker("run", "--name", "changer", IMAGE, "sh", "-c", "touch /tmp/new; echo x >> /etc/passwd; rm /bin/yes; mkdir -p /var/d/e");
        assertThat(lines(docker("diff", "changer").out())).containsExactly("C /bin", "D /bin/yes", "C /etc/passwd", "C /tmp", "A /tmp/new",
                "C /var", "A /var/d", "A /var/d/e");
        docker("rm", "changer");

        docker("run", "-d", "--name", "up1", IMAGE, "sleep", "1000");
        docker("create", "--name", "made", IMAGE, "true");
        docker("run", "--name", "done", IMAGE, "true");
        docker("run", "-d", "--name", "frozen", IMAGE, "sleep", "1000");
        docker("pause", "frozen");
        List<String> states = lines(docker("ps", "-a", "--format", "{{.State}}").out());
        long running = states.stream().filter(s -> s.equals("running")).count();
        long paused = states.stream().filter(s -> s.equals("paused")).count();
        String info = docker("info", "--format", "{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}}").out();
        assertThat(info.strip()).isEqualTo(states.size() + " " + running + " " + paused + " " + (states.size() - running - paused));
        assertThat(running).isPositive();
        assertThat(paused).isEqualTo(1);
        docker("rm", "-f", "up1", "made", "done", "frozen");
    }

    // ---- ps, small commands' errors ----

    @Test
    @Order(11)
    void ps_filtersLastFormatNoTrunc_andCommandErrors() throws Exception {
        docker("run", "--name", "p1", IMAGE, "true");
        docker("run", "-d", "--name", "p2", "-l", "a=1", IMAGE, "sh", "-c", "sleep 1000");
        docker("run", "--name", "p3", IMAGE, "sh", "-c", "exit 1");
        assertThat(lines(docker("ps", "-a", "--filter", "status=exited", "--format", "{{.Names}}").out())).containsExactly("p3", "p1");
        assertThat(lines(docker("ps", "-a", "--filter", "before=p3", "--format", "{{.Names}}").out())).containsExactly("p2", "p1");
        assertThat(lines(docker("ps", "-a", "--filter", "since=p1", "--format", "{{.Names}}").out())).containsExactly("p3", "p2");
        assertThat(lines(docker("ps", "--last", "2", "--format", "{{.Names}}").out())).containsExactly("p3", "p2");
        assertThat(lines(docker("ps", "-n", "1", "--format", "{{.Names}}").out())).containsExactly("p3");
        String id = inspect("p2").get("Id").asText();
        assertThat(docker("ps", "--filter", "name=p2", "--format", "{{.ID}} {{.Image}} {{.Command}} {{.Ports}} {{.Labels}}").out())
                .isEqualTo(id.substring(0, 12) + " " + IMAGE + " \"sh -c 'sleep 1000'\"  a=1\n");
        assertThat(docker("ps", "--no-trunc", "--filter", "name=p2", "--format", "{{.ID}} {{.Command}}").out())
                .isEqualTo(id + " \"sh -c 'sleep 1000'\"\n");

        Result badName = docker("rename", "p1", "bad name!");
        assertThat(badName.exit()).isEqualTo(1);
        assertThat(badName.err()).contains("Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        Result missing = docker("rm", "nosuch");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("No such container: nosuch");
        Result startRunning = docker("start", "p2");
        assertThat(startRunning.exit()).isZero();
        assertThat(startRunning.out().strip()).isEqualTo("p2");
        assertThat(inspect("p2").get("RestartCount").asInt()).isZero();
        Result stopStopped = docker("stop", "p1");
        assertThat(stopStopped.exit()).isZero();
        assertThat(stopStopped.out().strip()).isEqualTo("p1");

        docker("run", "-d", "--name", "w1", IMAGE, "sh", "-c", "sleep 1; exit 3");
        docker("run", "-d", "--name", "w2", IMAGE, "sh", "-c", "sleep 2; exit 5");
        Result waits = docker("wait", "w1", "w2", "p1");
        assertThat(waits.exit()).as(waits.all()).isZero();
        assertThat(lines(waits.out())).containsExactly("3", "5", "0");
        docker("rm", "-f", "p1", "p2", "p3", "w1", "w2");
    }

    // ---- rmi of a used image ----

    @Test
    @Order(12)
    void rmi_refusedWhileAContainerUsesTheImage() throws Exception {
        Path tar = tmp.resolve("busybox.tar");
        String imageId = docker("import", "-c", "ENV OTHER=1", tar.toString(), "other:1").out().strip();
        String shortImage = imageId.substring("sha256:".length(), "sha256:".length() + 12);
        String running = docker("run", "-d", "--name", "userun", "other:1", "sleep", "1000").out().strip();
        Result refused = docker("rmi", "other:1");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("conflict: unable to remove repository reference \"other:1\" (must force) - container "
                + running.substring(0, 12) + " is using its referenced image " + shortImage);
        Result byId = docker("rmi", "-f", imageId);
        assertThat(byId.exit()).isEqualTo(1);
        assertThat(byId.err()).contains("conflict: unable to delete " + shortImage + " (cannot be forced) - image is being used by running container "
                + running.substring(0, 12));
        docker("rm", "-f", "userun");

        String stopped = docker("create", "--name", "usestop", "other:1", "true").out().strip();
        docker("tag", "other:1", "other:2");
        Result untag = docker("rmi", "other:2"); // another name remains: only untagged
        assertThat(untag.exit()).isZero();
        assertThat(untag.out().strip()).isEqualTo("Untagged: other:2");
        Result byIdStopped = docker("rmi", imageId);
        assertThat(byIdStopped.exit()).isEqualTo(1);
        assertThat(byIdStopped.err()).contains("conflict: unable to delete " + shortImage + " (must be forced) - image is being used by stopped container "
                + stopped.substring(0, 12));
        Result forced = docker("rmi", "-f", "other:1");
        assertThat(forced.exit()).as(forced.all()).isZero();
        assertThat(forced.out()).contains("Untagged: other:1", "Deleted: " + imageId);
        assertThat(docker("images", "-q", "other").out()).isBlank();
        assertThat(docker("ps", "-a", "--filter", "name=usestop", "--format", "{{.Image}}").out().strip()).isEqualTo(shortImage);
        Result stillRuns = docker("start", "-a", "usestop");
        assertThat(stillRuns.exit()).as("the forced rmi kept the layers it uses").isZero();
        docker("rm", "usestop");
    }

    // ---- run flags ----

    @Test
    @Order(13)
    void run_nameConflictEnvFromHostEnvFileWorkdirUser() throws Exception {
        docker("create", "--name", "taken", IMAGE, "true");
        Result conflict = docker("run", "--name", "taken", IMAGE, "true");
        assertThat(conflict.exit()).isEqualTo(125);
        assertThat(conflict.err()).contains("Conflict. The container name \"/taken\" is already in use by container \""
                + inspect("taken").get("Id").asText() + "\". You have to remove (or rename) that container to be able to reuse that name.");
        docker("rm", "taken");

        Map<String, String> env = new HashMap<>(Map.of("FROM_HOST", "host value", "IN_FILE", "hv"));
        Path envFile = Files.writeString(tmp.resolve("env.list"), "# a comment\n\nA=1\nIN_FILE\nSPACED=a b\n");
        Result withEnv = run(dockerCommand("run", "--rm", "-e", "FROM_HOST", "-e", "NOT_SET_ANYWHERE", "--env-file", envFile.toString(),
                IMAGE, "env"), env);
        assertThat(lines(withEnv.out())).contains("FROM_HOST=host value", "A=1", "IN_FILE=hv", "SPACED=a b")
                .noneMatch(l -> l.startsWith("#") || l.startsWith("NOT_SET_ANYWHERE"));

        Result relative = docker("run", "--rm", "-w", "rel", IMAGE, "pwd");
        assertThat(relative.exit()).isEqualTo(125);
        assertThat(relative.err()).contains("the working directory 'rel' is invalid, it needs to be an absolute path");
        Result ghost = docker("run", "--rm", "-u", "ghost", IMAGE, "id");
        assertThat(ghost.exit()).isEqualTo(125);
        assertThat(ghost.err()).contains("unable to find user ghost: no matching entries in passwd file");
        assertThat(docker("ps", "-aq").out()).isBlank();
    }

    // ---- helpers ----

    private String statusOf(String name) {
        JsonNode s = inspectQuietly(name);
        return s == null ? null : s.at("/State/Status").asText();
    }

    private void awaitLogs(String name, String expected) throws InterruptedException {
        await(() -> {
            try {
                return docker("logs", name).out().equals(expected);
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static void awaitOutput(Bg bg, String line) throws InterruptedException {
        await(() -> {
            try {
                return lines(bg.out()).contains(line);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The CLI's own form for a time: unix seconds with nanoseconds (a duration like 0s is cut to whole seconds). */
    private static String seconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    private static String untilNow() {
        return seconds(Instant.now());
    }

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

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
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

    private List<String> dockerCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + agent.socket));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Result docker(String... args) throws Exception {
        return run(dockerCommand(args), null);
    }

    /** The CLI under script(1), for a terminal of its own: output as the terminal shows it. */
    private Result underTerminal(String dockerArgs) throws Exception {
        String cli = docker + " -H unix://" + agent.socket + " " + dockerArgs;
        return run(List.of("script", "-qec", cli, "/dev/null"), null);
    }

    private Result run(List<String> cmd, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (env != null) {
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts a docker command and leaves it running; {@code input} null for no stdin, else a pipe (the process's output stream). */
    private Bg background(String input, String... args) throws IOException {
        Path out = Files.createTempFile(tmp, "bg", ".out");
        Path err = Files.createTempFile(tmp, "bg", ".err");
        ProcessBuilder pb = new ProcessBuilder(dockerCommand(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        background.add(p);
        return new Bg(p, out, err);
    }

    /** Shims (and so containers) still running from this test's run directory. */
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

    private void removeCgroups() throws IOException, InterruptedException {
        if (cgroupParent == null) {
            return;
        }
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                Path parent = controller.resolve(cgroupParent);
                if (!Files.isDirectory(parent)) {
                    continue;
                }
                try (Stream<Path> children = Files.list(parent)) {
                    for (Path child : children.filter(Files::isDirectory).toList()) {
                        Path procs = child.resolve("cgroup.procs");
                        Path freezer = child.resolve("freezer.state");
                        if (Files.exists(freezer)) {
                            Files.writeString(freezer, "THAWED");
                        }
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
