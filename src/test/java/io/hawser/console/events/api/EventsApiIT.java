package io.hawser.console.events.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.console.IntegrationTest;
import io.hawser.console.common.api.RestFixture;
import io.hawser.console.common.api.RestFixture.Answer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/** GET /api/events over real HTTP: filters, newest first, total, who sees which host's events, bad parameters. */
@IntegrationTest
class EventsApiIT {

    static final Instant T0 = Instant.parse("2032-03-04T05:00:00Z");
    static final String WEB = "a".repeat(64);

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;

    RestFixture fx;
    UUID ours;
    UUID theirs;
    String viewer;

    @BeforeEach
    void fleet() {
        fx = new RestFixture(jdbc, encoder, port, "eapi-");
        long team = fx.team("ops");
        viewer = fx.member("viewer", team, "VIEWER");
        ours = fx.host("ours", team);
        theirs = fx.host("theirs");
        event(ours, 1, "image", "import", "sha256:" + "1".repeat(64), "{\"name\": \"bb:1\"}");
        event(ours, 2, "container", "start", WEB, "{\"name\": \"web\", \"image\": \"bb:1\"}");
        event(theirs, 3, "container", "start", "b".repeat(64), "{\"name\": \"web\"}");
        event(ours, 4, "container", "die", WEB, "{\"name\": \"web\", \"exitCode\": \"0\"}");
    }

    @AfterEach
    void cleanUp() {
        fx.cleanUp();
    }

    @Test
    void list_newestFirst_withFilters_andTotal() {
        String since = "since=" + T0;
        assertThat(actions("admin", since)).containsExactly("eapi-ours/die", "eapi-theirs/start", "eapi-ours/start",
                "eapi-ours/import");
        assertThat(actions("admin", since + "&host=" + ours)).containsExactly("eapi-ours/die", "eapi-ours/start",
                "eapi-ours/import");
        assertThat(actions("admin", since + "&type=image")).containsExactly("eapi-ours/import");
        assertThat(actions("admin", since + "&container=web&action=start")).containsExactly("eapi-theirs/start",
                "eapi-ours/start");
        assertThat(actions("admin", since + "&container=aaaa")).containsExactly("eapi-ours/die", "eapi-ours/start");
        assertThat(actions("admin", "since=" + (T0.getEpochSecond() + 2) + "&until=" + T0.plusSeconds(4)))
                .as("Unix seconds or ISO-8601; until exclusive").containsExactly("eapi-theirs/start", "eapi-ours/start");

        JsonNode page = ok(fx.get("admin", "/api/events?" + since + "&limit=1&offset=1"));
        assertThat(page.path("total").asLong()).isEqualTo(4);
        assertThat(page.path("limit").asInt()).isEqualTo(1);
        assertThat(page.path("items")).hasSize(1);
        JsonNode e = ok(fx.get("admin", "/api/events?" + since + "&limit=1")).path("items").get(0);
        assertThat(e.path("hostId").asText()).isEqualTo(ours.toString());
        assertThat(e.path("hostName").asText()).isEqualTo("eapi-ours");
        assertThat(e.path("time").asText()).isEqualTo("2032-03-04T05:00:04.000000007Z");
        assertThat(e.path("type").asText()).isEqualTo("container");
        assertThat(e.path("action").asText()).isEqualTo("die");
        assertThat(e.path("actorId").asText()).isEqualTo(WEB);
        assertThat(e.path("actorName").asText()).isEqualTo("web");
        assertThat(e.path("attributes").path("exitCode").asText()).isEqualTo("0");
        assertThat(e.path("id").asLong()).isPositive();
    }

    @Test
    void aViewerSeesTheirTeamsHostsOnly() {
        String since = "since=" + T0;
        assertThat(actions(viewer, since)).containsExactly("eapi-ours/die", "eapi-ours/start", "eapi-ours/import");
        assertThat(actions(viewer, since + "&host=" + theirs)).isEmpty();
        assertThat(ok(fx.get(viewer, "/api/events?" + since + "&host=" + theirs)).path("total").asLong()).isZero();
    }

    @Test
    void badParameters_are400WithAMessage_noCredentials401() {
        for (String query : List.of("type=plugin", "since=yesterday", "until=2032-13-01T00:00:00Z", "limit=0",
                "limit=5000", "offset=-3", "host=x", "since=2032-01-02T00:00:00Z&until=2032-01-01T00:00:00Z")) {
            Answer bad = fx.get("admin", "/api/events?" + query);
            assertThat(bad.status()).as(query + ": " + bad).isEqualTo(400);
            assertThat(bad.message()).as(query).isNotBlank();
        }
        assertThat(fx.get("admin", "/api/events?since=yesterday").message()).startsWith("since is not a time");
        Answer anonymous = fx.get(null, "/api/events");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.message()).isEqualTo("authentication required");
    }

    private List<String> actions(String user, String query) {
        List<String> actions = new ArrayList<>();
        ok(fx.get(user, "/api/events?" + query)).path("items")
                .forEach(e -> actions.add(e.path("hostName").asText() + "/" + e.path("action").asText()));
        return actions;
    }

    private static JsonNode ok(Answer a) {
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        return a.json();
    }

    private void event(UUID host, int second, String type, String action, String actor, String attributes) {
        Instant at = T0.plusSeconds(second);
        jdbc.sql("""
                        INSERT INTO fleet_events (host_id, time, time_nano, type, action, actor_id, attributes)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(host, Timestamp.from(at), at.getEpochSecond() * 1_000_000_000L + 7, type, action, actor, attributes)
                .update();
    }
}
