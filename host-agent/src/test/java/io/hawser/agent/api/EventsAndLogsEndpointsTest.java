package io.hawser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.agent.api.http.HttpServer;
import io.hawser.agent.api.http.RawHttpClient;
import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.events.Event;
import io.hawser.agent.events.EventJournal;
import io.hawser.agent.logs.JsonFileLogWriter;
import io.hawser.agent.logs.LogStream;
import io.hawser.agent.sys.HostInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two endpoints over a real socket, checked at the byte level (the docker CLI drives them in the IT). */
class EventsAndLogsEndpointsTest {

    static final String ID = "c0ffee" + "0".repeat(58);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    private EventJournal journal;
    private HttpServer server;
    private final FakeContainerLogs containers = new FakeContainerLogs();

    @BeforeEach
    void start() throws Exception {
        journal = EventJournal.open(tmp.resolve("events"), EventJournal.Options.defaults());
        BuildInfo build = BuildInfo.load();
        server = HttpServer.bind(tmp.resolve("api.sock"), EngineApi.standardRoutes(build, HostInfo.detect())
                .route("GET", "/events", new EventsHandler(journal))
                .route("GET", "/containers/{id}/logs", new ContainerLogsHandler(containers))
                .build(), EngineApi.defaultHeaders(build));
        server.start();
        try (JsonFileLogWriter w = new JsonFileLogWriter(tmp.resolve(ID + "-json.log"), 0, 1)) {
            w.write(LogStream.STDERR, T0, "oops\n".getBytes(StandardCharsets.UTF_8));
            w.write(LogStream.STDOUT, T0.plusNanos(5), "hello\n".getBytes(StandardCharsets.UTF_8));
        }
        containers.add(ID, "web", tmp.resolve(ID + "-json.log"), false, false);
    }

    @AfterEach
    void stop() {
        server.close();
        journal.close();
    }

    private RawHttpClient.Response get(String path) throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(server.socketPath())) {
            return c.request("GET", path);
        }
    }

    @Test
    void logs_areMultiplexedWithTimestamps_likeDockerd() throws Exception {
        RawHttpClient.Response r = get("/v1.47/containers/web/logs?stdout=1&stderr=1&timestamps=1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
        String first = "2026-01-01T00:00:00.000000000Z oops\n";
        String second = "2026-01-01T00:00:00.000000005Z hello\n";
        byte[] expected = concat(new byte[] {2, 0, 0, 0, 0, 0, 0, (byte) first.length()}, first.getBytes(StandardCharsets.US_ASCII),
                new byte[] {1, 0, 0, 0, 0, 0, 0, (byte) second.length()}, second.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.body()).isEqualTo(expected);
        assertThat(get("/v1.41/containers/web/logs?stdout=1").header("Content-Type"))
                .as("before API 1.42 dockerd called every log stream raw").isEqualTo("application/vnd.docker.raw-stream");
    }

    @Test
    void logs_ofATtyContainer_areRaw() throws Exception {
        containers.add("t".repeat(64), "tty", tmp.resolve(ID + "-json.log"), true, false);
        RawHttpClient.Response r = get("/containers/tty/logs?stdout=1&stderr=1");
        assertThat(r.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
        assertThat(r.bodyText()).isEqualTo("oops\nhello\n");
    }

    @Test
    void logs_errors_areDockerds() throws Exception {
        RawHttpClient.Response none = get("/containers/nosuch/logs?stdout=1");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.bodyText()).isEqualTo("{\"message\":\"No such container: nosuch\"}");
        RawHttpClient.Response noStream = get("/containers/web/logs");
        assertThat(noStream.status()).isEqualTo(400);
        assertThat(noStream.bodyText()).isEqualTo("{\"message\":\"Bad parameters: you must choose at least one stream\"}");
    }

    @Test
    void events_history_filtered_inBothFilterForms() throws Exception {
        journal.publish(new Event(Event.Type.CONTAINER, "start", ID, Map.of("name", "web", "image", "bb:1"), T0));
        journal.publish(new Event(Event.Type.IMAGE, "tag", "sha256:abc", Map.of("name", "bb:2"), T0.plusSeconds(1)));
        journal.publish(new Event(Event.Type.CONTAINER, "die", ID, Map.of("name", "web", "image", "bb:1", "exitCode", "0"), T0.plusSeconds(2)));
        String until = "&until=" + T0.plusSeconds(10).getEpochSecond();
        assertThat(get("/events?since=" + T0.getEpochSecond() + until).bodyText().lines()).hasSize(3);
        for (String filters : new String[] {"{\"type\":{\"container\":true}}", "{\"type\":[\"container\"]}", "{\"container\":[\"we\"]}"}) {
            RawHttpClient.Response r = get("/events?since=" + T0.getEpochSecond() + until + "&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.bodyText().lines()).as(filters).hasSize(2).allMatch(l -> l.startsWith("{\"status\":\""));
        }
        assertThat(get("/events?since=" + T0.plusSeconds(1).getEpochSecond() + ".5" + until).bodyText())
                .isEqualTo("{\"status\":\"die\",\"id\":\"" + ID + "\",\"from\":\"bb:1\",\"Type\":\"container\",\"Action\":\"die\","
                        + "\"Actor\":{\"ID\":\"" + ID + "\",\"Attributes\":{\"exitCode\":\"0\",\"image\":\"bb:1\",\"name\":\"web\"}},"
                        + "\"scope\":\"local\",\"time\":1767225602,\"timeNano\":1767225602000000000}\n");
    }

    @Test
    void events_badParameters_are400() throws Exception {
        RawHttpClient.Response bad = get("/events?until=1&filters=xx");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.bodyText()).startsWith("{\"message\":\"invalid filter: ");
        RawHttpClient.Response order = get("/events?since=5&until=1");
        assertThat(order.status()).isEqualTo(400);
        assertThat(order.bodyText()).isEqualTo("{\"message\":\"`since` time (5) cannot be after `until` time (1)\"}");
        assertThat(get("/events?since=yesterday&until=1").status()).isEqualTo(400);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
