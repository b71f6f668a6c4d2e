package io.hawser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hawser.agent.api.http.HttpServer;
import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.events.Event;
import io.hawser.agent.events.EventJournal;
import io.hawser.agent.logs.JsonFileLogWriter;
import io.hawser.agent.logs.LogStream;
import io.hawser.agent.sys.HostInfo;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real docker CLI against the events and logs endpoints, served in-process over a fake container store. */
class EventsAndLogsDockerCliIT {

    static final String ID = "c0ffee" + "1".repeat(58);
    static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    private EventJournal journal;
    private HttpServer server;
    private final FakeContainerLogs containers = new FakeContainerLogs();
    private final List<Process> processes = new ArrayList<>();
    private Path docker;
    private Instant t0;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        docker = findOnPath("docker");
        assumeTrue(docker != null, "the docker CLI is not on PATH on this machine");
        journal = EventJournal.open(tmp.resolve("events"), EventJournal.Options.defaults());
        BuildInfo build = BuildInfo.load();
        server = HttpServer.bind(tmp.resolve("api.sock"), EngineApi.standardRoutes(build, HostInfo.detect())
                .route("GET", "/events", new EventsHandler(journal))
                .route("GET", "/containers/{id}/logs", new ContainerLogsHandler(containers))
                // docker logs inspects first, for Config.Tty; the container code will own this endpoint
                .route("GET", "/containers/{id}/json", call -> {
                    var c = containers.find(call.pathParam("id")).orElseThrow(
                            () -> io.hawser.agent.common.AgentException.notFound("No such container: " + call.pathParam("id")));
                    call.exchange().sendJson(200, Map.of("Id", ((FakeContainerLogs.Fake) c).id(), "Config", Map.of("Tty", c.tty())));
                })
                .build(), EngineApi.defaultHeaders(build));
        server.start();
        t0 = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
            journal.close();
        }
    }

    private ProcessBuilder dockerCommand(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + server.socketPath()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        List.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY").forEach(env::remove);
        env.put("DOCKER_CONFIG", Files.createDirectories(tmp.resolve("docker-config")).toString());
        env.put("TZ", "UTC");
        return pb;
    }

    private Process launch(Path out, Path err, String... args) throws Exception {
        Process p = dockerCommand(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        processes.add(p);
        return p;
    }

    private Run docker(String... args) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = launch(out, err, args);
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("docker " + String.join(" ", args) + " finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private JsonFileLogWriter writeLog(int lines) throws Exception {
        JsonFileLogWriter w = new JsonFileLogWriter(tmp.resolve(ID + "-json.log"), 400, 4);
        for (int i = 0; i < lines; i++) {
            w.write(LogStream.STDOUT, t0.plusSeconds(i), ("out " + i + "\n").getBytes(StandardCharsets.UTF_8));
            w.write(LogStream.STDERR, t0.plusSeconds(i), ("err " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return w;
    }

    private static String numbered(String prefix, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(prefix).append(' ').append(i).append('\n');
        }
        return sb.toString();
    }

    @Test
    void logs_keepStdoutAndStderrApart_acrossRotatedFiles() throws Exception {
        writeLog(30).close();
        assertThat(tmp.resolve(ID + "-json.log.3")).exists();
        containers.add(ID, "web", tmp.resolve(ID + "-json.log"), false, false);
        Run r = docker("logs", "web");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(numbered("out", 30 - countOut(r.out()), 30));
        assertThat(r.err()).isEqualTo(numbered("err", 30 - countOut(r.err()), 30)); // rotation may split a pair
        assertThat(countOut(r.out())).as("max-file 4 keeps the newest lines").isBetween(10, 29);
    }

    private static int countOut(String s) {
        return (int) s.lines().count();
    }

    @Test
    void logs_tailSinceUntilTimestamps() throws Exception {
        writeLog(30).close();
        containers.add(ID, "web", tmp.resolve(ID + "-json.log"), false, false);
        Run tail = docker("logs", "--tail", "4", ID);
        assertThat(tail.out()).isEqualTo(numbered("out", 28, 30));
        assertThat(tail.err()).isEqualTo(numbered("err", 28, 30));

        Run window = docker("logs", "--since", String.valueOf(t0.plusSeconds(25).getEpochSecond()),
                "--until", t0.plusSeconds(26).toString(), "web");
        assertThat(window.exit()).as(window.err()).isZero();
        assertThat(window.out()).isEqualTo(numbered("out", 25, 27));

        Run ts = docker("logs", "-t", "--tail", "2", "web");
        assertThat(ts.out()).isEqualTo(t0.plusSeconds(29).toString().replace("Z", ".000000000Z") + " out 29\n");
        assertThat(ts.err()).isEqualTo(t0.plusSeconds(29).toString().replace("Z", ".000000000Z") + " err 29\n");

        Run missing = docker("logs", "nosuch");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("Error response from daemon: No such container: nosuch");
    }

    @Test
    void logsFollow_seesNewLinesAndRotations_andEndsWhenTheContainerStops() throws Exception {
        JsonFileLogWriter w = writeLog(5);
        FakeContainerLogs.Fake c = containers.add(ID, "web", tmp.resolve(ID + "-json.log"), false, true);
        Path out = tmp.resolve("follow.out");
        Path err = tmp.resolve("follow.err");
        Process p = launch(out, err, "logs", "-f", "web");
        awaitContains(out, "out 4\n");
        for (int i = 5; i < 40; i++) {
            w.write(LogStream.STDOUT, t0.plusSeconds(i), ("out " + i + "\n").getBytes(StandardCharsets.UTF_8));
            if (i % 5 == 0) {
                awaitContains(out, "out " + i + "\n"); // at most one rotation between the reader's looks
            }
        }
        w.write(LogStream.STDERR, t0.plusSeconds(40), "last words\n".getBytes(StandardCharsets.UTF_8));
        w.close();
        c.runningFlag().set(false);
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("docker logs -f ended after the stop").isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(out)).isEqualTo(numbered("out", 0, 40));
        assertThat(Files.readString(err)).isEqualTo(numbered("err", 0, 5) + "last words\n");
    }

    @Test
    void events_historyWithFiltersAndFormats() throws Exception {
        Map<String, String> attrs = Map.of("name", "web", "image", "bb:1", "team", "ops");
        journal.publish(new Event(Event.Type.CONTAINER, "create", ID, attrs, t0.plusNanos(123456789)));
        journal.publish(new Event(Event.Type.IMAGE, "tag", "sha256:" + "a".repeat(64), Map.of("name", "bb:2"), t0.plusSeconds(1)));
        journal.publish(new Event(Event.Type.CONTAINER, "kill", ID, with(attrs, "signal", "15"), t0.plusSeconds(2)));
        journal.publish(new Event(Event.Type.CONTAINER, "die", ID, with(attrs, "exitCode", "143"), t0.plusSeconds(3)));
        String since = String.valueOf(t0.getEpochSecond());
        String until = String.valueOf(t0.plusSeconds(60).getEpochSecond());

        Run all = docker("events", "--since", since, "--until", until);
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out().lines().toList()).containsExactly(
                t0.toString().replace("Z", ".123456789Z") + " container create " + ID + " (image=bb:1, name=web, team=ops)",
                t0.plusSeconds(1).toString().replace("Z", ".000000000Z") + " image tag sha256:" + "a".repeat(64) + " (name=bb:2)",
                t0.plusSeconds(2).toString().replace("Z", ".000000000Z") + " container kill " + ID + " (image=bb:1, name=web, signal=15, team=ops)",
                t0.plusSeconds(3).toString().replace("Z", ".000000000Z") + " container die " + ID + " (exitCode=143, image=bb:1, name=web, team=ops)");

        assertThat(docker("events", "--since", since, "--until", until, "--filter", "container=web").out().lines())
                .hasSize(3).allMatch(l -> l.contains(" container "));
        assertThat(docker("events", "--since", since, "--until", until, "--filter", "event=die", "--filter", "event=kill").out().lines())
                .hasSize(2);
        assertThat(docker("events", "--since", since, "--until", until, "--filter", "type=image").out().lines()).hasSize(1);
        assertThat(docker("events", "--since", since, "--until", until, "--filter", "image=bb").out().lines())
                .as("image without tag matches containers of bb:1 and the tag event of bb:2").hasSize(4);
        assertThat(docker("events", "--since", since, "--until", until, "--filter", "label=team=ops", "--filter", "event=die").out().lines())
                .hasSize(1);
        assertThat(docker("events", "--since", t0.plusSeconds(3).toString(), "--until", until, "--format", "{{json .}}").out())
                .contains("\"status\":\"die\"", "\"Action\":\"die\"", "\"exitCode\":\"143\"", "\"scope\":\"local\"");
    }

    @Test
    void events_live_afterHistory_untilTheClientLeaves() throws Exception {
        journal.publish(new Event(Event.Type.CONTAINER, "create", ID, Map.of("name", "web"), t0));
        Path out = tmp.resolve("events.out");
        Process p = launch(out, tmp.resolve("events.err"), "events", "--since", String.valueOf(t0.getEpochSecond()),
                "--filter", "container=web");
        awaitContains(out, " container create ");
        journal.publish(new Event(Event.Type.CONTAINER, "start", ID, Map.of("name", "web"), Instant.now()));
        journal.publish(new Event(Event.Type.CONTAINER, "start", "other", Map.of("name", "db"), Instant.now()));
        awaitContains(out, " container start " + ID);
        assertThat(p.isAlive()).as("still streaming").isTrue();
        p.destroy();
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(out)).doesNotContain(" db");

        Run future = docker("events", "--until", String.valueOf(Instant.now().plusSeconds(2).getEpochSecond()));
        assertThat(future.exit()).as("ends at until").isZero();
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> copy = new java.util.HashMap<>(m);
        copy.put(k, v);
        return copy;
    }

    private static void awaitContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(Files.exists(file) ? Files.readString(file) : "").contains(text);
    }

    private static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
