package io.hawser.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.IntegrationTest;
import io.hawser.console.testing.AgentProcess;
import io.hawser.console.testing.SignedIn;
import io.hawser.console.testing.Tarballs;
import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The link end to end with the real agent jar: enrollment, hello and inventory, an event from a docker CLI import,
 * an Engine API request through a tunnel, unreachable after SIGKILL, reconnect with the stored credential and no
 * duplicates, and removal revoking the credential. Deadlines are generous; nothing here measures speed.
 */
@IntegrationTest
class AgentLinkIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration UNREACHABLE_DEADLINE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    HostService hosts;
    @Autowired
    HostApi hostApi;
    @Autowired
    JdbcClient jdbc;

    @Test
    void anAgentEnrolls_reports_isReachedThroughATunnel_andSurvivesAKill() throws Exception {
        // As an operator starts it: the join token on the command line.
        AgentProcess agent = AgentProcess.create(AgentProcess.Layout.fresh("hl"), "http://127.0.0.1:" + port)
                .tokenOnCommandLine();
        Path dataRoot = agent.dataRoot();
        Path log = agent.logFile();
        UUID hostId = null;
        try {
            JoinToken token = SignedIn.asAdmin("it-admin", () -> hosts.createJoinToken(1, Duration.ofMinutes(30)));
            agent.start(token.token());

            // Enrolled: the credential is in the data root, 0600, and names the host.
            Path credential = dataRoot.resolve("link/credential");
            await("credential stored", log, () -> Files.exists(credential));
            String bearer = Files.readString(credential).strip();
            UUID id = UUID.fromString(bearer.substring(0, bearer.indexOf('.')));
            hostId = id;
            assertThat(Files.getPosixFilePermissions(credential)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

            // hello: ONLINE with the host's facts.
            await("host online", log, () -> "ONLINE".equals(status(id)));
            Map<String, Object> facts = jdbc.sql("""
                    SELECT agent_version, kernel_version, cgroup_version, cpus, memory_bytes, hostname, last_seen_at
                    FROM hosts WHERE id = ?""").param(id).query().singleRow();
            assertThat(facts.get("agent_version")).isEqualTo("0.1.0-SNAPSHOT");
            assertThat((String) facts.get("kernel_version")).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
            assertThat(facts.get("cgroup_version")).isIn("1", "2");
            assertThat((Integer) facts.get("cpus")).isPositive();
            assertThat((Long) facts.get("memory_bytes")).isPositive();
            assertThat(facts.get("last_seen_at")).isNotNull();

            // An import through the agent's socket with the real docker CLI: the image and its event reach PostgreSQL.
            Path tar = Tarballs.busybox(agent.home(), "busybox", 0);
            String imageId = agent.docker("import", tar.toString(), "link-it:1").strip();
            assertThat(imageId).startsWith("sha256:");
            await("image in the inventory", log, () -> count("SELECT count(*) FROM images WHERE host_id = ? AND image_id = ? "
                    + "AND 'link-it:1' = ANY (repo_tags)", id, imageId) == 1);
            await("import event recorded", log, () -> count("SELECT count(*) FROM fleet_events WHERE host_id = ? AND type = 'image' "
                    + "AND action = 'import' AND actor_id = ?", id, imageId) == 1);

            // The Engine API through a tunnel: a whole response, and a chunked stream.
            ApiResponse version = hostApi.forHost(id).get("/version");
            assertThat(version.status()).isEqualTo(200);
            assertThat(version.json().path("Version").asText()).isEqualTo("0.1.0-SNAPSHOT");
            assertThat(version.json().path("KernelVersion").asText()).isEqualTo(facts.get("kernel_version"));
            ApiResponse images = hostApi.forHost(id).get("/images/json");
            assertThat(images.json().findValuesAsText("Id")).contains(imageId);
            long until = Instant.now().getEpochSecond() + 1;
            try (ApiStream events = hostApi.forHost(id).stream("GET", "/events?since=0&until=" + until, null, null)) {
                assertThat(events.status()).isEqualTo(200);
                assertThat(events.head().chunked()).isTrue();
                String text = new String(events.body().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(text).contains("\"Action\":\"import\"").contains(imageId);
            }
            assertThat(hostApi.forHost(id).get("/no-such-endpoint").status()).isEqualTo(404);

            // A live stream through a tunnel (as a log follow would be): an event arrives while it is open.
            try (ApiStream live = hostApi.forHost(id).stream("GET", "/events", null, null)) {
                assertThat(live.status()).isEqualTo(200);
                CompletableFuture<JsonNode> imported = CompletableFuture.supplyAsync(() -> {
                    try (MappingIterator<JsonNode> events = new ObjectMapper().readerFor(JsonNode.class).readValues(live.body())) {
                        while (events.hasNextValue()) {
                            JsonNode event = events.nextValue();
                            if (event.path("Action").asText().equals("import")) {
                                return event;
                            }
                        }
                        throw new IllegalStateException("the event stream ended without an import");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                String second = agent.docker("import", tar.toString(), "link-it:2").strip();
                assertThat(imported.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).path("Actor").path("ID").asText()).isEqualTo(second);
            }
            await("second image in the inventory", log, () -> count("SELECT count(*) FROM images WHERE host_id = ? "
                    + "AND 'link-it:2' = ANY (repo_tags)", id) == 1);

            // SIGKILL: nothing arrives any more, and the host is marked unreachable.
            long imageRows = count("SELECT count(*) FROM images WHERE host_id = ?", id);
            long eventRows = count("SELECT count(*) FROM fleet_events WHERE host_id = ?", id);
            agent.kill();
            await("host unreachable", UNREACHABLE_DEADLINE, log, () -> "UNREACHABLE".equals(status(id)));
            assertThat(hostApi.isConnected(id)).isFalse();

            // Restarted without a token: it reconnects with its stored credential, as the same host, with nothing doubled.
            OffsetDateTime killedAt = OffsetDateTime.now();
            agent.start(null);
            await("host online again", log, () -> "ONLINE".equals(status(id)) && lastSeen(id).isAfter(killedAt));
            await("inventory reconciled", log, () -> count("SELECT count(*) FROM images WHERE host_id = ?", id) == imageRows);
            assertThat(Files.readString(credential).strip()).isEqualTo(bearer);
            assertThat(count("SELECT count(*) FROM hosts WHERE hostname = (SELECT hostname FROM hosts WHERE id = ?) "
                    + "AND created_at >= (SELECT created_at FROM hosts WHERE id = ?)", id, id)).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM fleet_events WHERE host_id = ? AND action = 'import'", id)).as("no event twice").isEqualTo(2);
            assertThat(count("SELECT count(*) FROM fleet_events WHERE host_id = ?", id)).isGreaterThanOrEqualTo(eventRows);
            assertThat(hostApi.forHost(id).get("/_ping").bodyText()).isEqualTo("OK");

            // Removed: its link is closed and its credential refused from then on.
            SignedIn.asAdmin("it-admin", () -> {
                hosts.remove(id);
                return null;
            });
            await("link closed", log, () -> !hostApi.isConnected(id));
            assertThat(linkStatus(bearer)).isEqualTo(401);
            await("agent told it is refused", log, () -> readQuietly(log).contains("the console refused this host (HTTP 401)"));
            hostId = null;
        } finally {
            try {
                agent.close();
            } finally {
                if (hostId != null) {
                    jdbc.sql("DELETE FROM hosts WHERE id = ?").param(hostId).update();
                }
            }
        }
    }

    private String status(UUID id) {
        return jdbc.sql("SELECT status FROM hosts WHERE id = ?").param(id).query(String.class).optional().orElse(null);
    }

    private OffsetDateTime lastSeen(UUID id) {
        return jdbc.sql("SELECT last_seen_at FROM hosts WHERE id = ?").param(id).query(OffsetDateTime.class).optional()
                .orElse(OffsetDateTime.MIN);
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    private int linkStatus(String bearer) throws Exception {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + bearer)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/agent-link"), new WebSocket.Listener() { })
                    .get(30, TimeUnit.SECONDS).abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static void await(String what, Path log, BooleanSupplier condition) throws Exception {
        await(what, DEADLINE, log, condition);
    }

    private static void await(String what, Duration deadline, Path log, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not true after " + deadline + ": " + what + "\nagent log:\n" + readQuietly(log));
    }

    private static String readQuietly(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }
}
