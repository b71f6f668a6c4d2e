package io.hawser.console.hosts.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.console.IntegrationTest;
import io.hawser.console.common.api.RestFixture;
import io.hawser.console.common.api.RestFixture.Answer;
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

/** GET /api/hosts and /api/hosts/{id} over real HTTP: who sees which host, the JSON's fields, the errors. */
@IntegrationTest
class HostsApiIT {

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
        fx = new RestFixture(jdbc, encoder, port, "hapi-");
        long team = fx.team("ours");
        viewer = fx.member("viewer", team, "VIEWER");
        ours = fx.host("ours", team);
        theirs = fx.host("theirs");
        jdbc.sql("""
                UPDATE hosts SET status = 'ONLINE', agent_version = '0.1.0', kernel_version = '6.1.0', cgroup_version = '1',
                    cpus = 4, memory_bytes = 8589934592, hostname = 'ours.example', last_seen_at = '2030-01-02T03:04:05Z'
                WHERE id = ?""").param(ours).update();
        jdbc.sql("INSERT INTO containers (host_id, container_id, name, state) VALUES (?, 'a1', 'web', 'running'), (?, 'a2', 'db', 'exited')")
                .params(ours, ours).update();
    }

    @AfterEach
    void cleanUp() {
        fx.cleanUp();
    }

    @Test
    void list_showsTheHostsTheCallerMaySee() {
        assertThat(names(fx.get("admin", "/api/hosts"))).containsExactly("hapi-ours", "hapi-theirs");
        assertThat(names(fx.get(viewer, "/api/hosts"))).containsExactly("hapi-ours");
        assertThat(names(fx.get(fx.user("nobody"), "/api/hosts"))).isEmpty();
    }

    @Test
    void one_withItsFacts_or404() {
        Answer a = fx.get(viewer, "/api/hosts/" + ours);
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        JsonNode h = a.json();
        assertThat(h.path("id").asText()).isEqualTo(ours.toString());
        assertThat(h.path("name").asText()).isEqualTo("hapi-ours");
        assertThat(h.path("teams")).hasSize(1);
        assertThat(h.path("teams").get(0).asText()).isEqualTo("hapi-ours");
        assertThat(h.path("status").asText()).isEqualTo("ONLINE");
        assertThat(h.path("agentVersion").asText()).isEqualTo("0.1.0");
        assertThat(h.path("kernelVersion").asText()).isEqualTo("6.1.0");
        assertThat(h.path("cgroupVersion").asText()).isEqualTo("1");
        assertThat(h.path("hostname").asText()).isEqualTo("ours.example");
        assertThat(h.path("cpus").asInt()).isEqualTo(4);
        assertThat(h.path("memoryBytes").asLong()).isEqualTo(8589934592L);
        assertThat(h.path("lastSeen").asText()).isEqualTo("2030-01-02T03:04:05Z");
        assertThat(h.path("runningContainers").asInt()).isEqualTo(1);
        assertThat(h.path("totalContainers").asInt()).isEqualTo(2);

        Answer hidden = fx.get(viewer, "/api/hosts/" + theirs);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.message()).isEqualTo("No such host: " + theirs);
        assertThat(fx.get("admin", "/api/hosts/" + theirs).status()).isEqualTo(200);
        assertThat(fx.get("admin", "/api/hosts/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void badId_is400_noCredentials401_asJson() {
        Answer bad = fx.get("admin", "/api/hosts/not-a-uuid");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.message()).isNotBlank();

        for (String path : List.of("/api/hosts", "/api/hosts/" + ours)) {
            Answer anonymous = fx.get(null, path);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.message()).isEqualTo("authentication required");
        }
        Answer wrong = fx.send(viewer.substring(0, viewer.length() - 1), "GET", "/api/hosts");
        assertThat(wrong.status()).isEqualTo(401);
    }

    private static List<String> names(Answer a) {
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        a.json().forEach(h -> {
            if (h.path("name").asText().startsWith("hapi-")) {
                names.add(h.path("name").asText());
            }
        });
        return names;
    }

    @Test
    void anAdministratorRenamesLabelsAndRemovesAHost_othersAreRefused_eachChangeAuditedOnce() {
        Answer refused = fx.send(viewer, "PATCH", "/api/hosts/" + ours, "{\"name\": \"hapi-mine\"}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.message()).isNotBlank();

        Answer renamed = fx.send("admin", "PATCH", "/api/hosts/" + ours,
                "{\"name\": \"hapi-renamed\", \"labels\": {\"rack\": \"r7\", \"env\": \"prod\"}}");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().path("name").asText()).isEqualTo("hapi-renamed");
        assertThat(renamed.json().path("labels").path("rack").asText()).isEqualTo("r7");
        assertThat(fx.get(viewer, "/api/hosts/" + ours).json().path("labels").path("env").asText()).isEqualTo("prod");
        assertThat(auditRows("host.rename", ours)).isEqualTo(1);
        assertThat(auditRows("host.labels", ours)).isEqualTo(1);

        assertThat(fx.send("admin", "PATCH", "/api/hosts/" + ours, "{\"labels\": {\"bad key!\": \"x\"}}").status())
                .isEqualTo(400);
        assertThat(fx.send("admin", "PATCH", "/api/hosts/" + ours, "{}").status()).isEqualTo(400);
        assertThat(fx.send("admin", "PATCH", "/api/hosts/" + ours, "{\"name\": \"hapi-theirs\"}").message())
                .contains("exists already");
        assertThat(fx.send("admin", "PATCH", "/api/hosts/" + UUID.randomUUID(), "{\"name\": \"x\"}").status()).isEqualTo(404);

        assertThat(fx.send(viewer, "DELETE", "/api/hosts/" + ours).status()).isEqualTo(403);
        assertThat(fx.send("admin", "DELETE", "/api/hosts/" + ours).status()).isEqualTo(204);
        assertThat(fx.get("admin", "/api/hosts/" + ours).status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT count(*) FROM containers WHERE host_id = ?").param(ours).query(Long.class).single())
                .as("its inventory went with it").isZero();
        assertThat(auditRows("host.remove", ours)).isEqualTo(1);
        assertThat(deniedRows("host.rename", ours)).as("the viewer's refused rename, once").isEqualTo(1);
        assertThat(deniedRows("host.remove", ours)).as("the viewer's refused remove, once").isEqualTo(1);
    }

    /** Rows with the result ok: a change (a refusal is its own row, result denied: {@link #deniedRows}). */
    private long auditRows(String action, UUID host) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = ? AND target = ? AND result = 'ok'")
                .params(action, "host:" + host).query(Long.class).single();
    }

    private long deniedRows(String action, UUID host) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE action = ? AND target = ? AND result = 'denied' AND actor = ?")
                .params(action, "host:" + host, viewer).query(Long.class).single();
    }

    @Test
    void joinTokens_anAdministratorForAnyTeam_aTeamAdminForTheirOwn_othersRefused() {
        long team = jdbc.sql("SELECT id FROM teams WHERE name = 'hapi-ours'").query(Long.class).single();
        long otherTeam = fx.team("other");
        String teamAdmin = fx.member("team-admin", team, "TEAM_ADMIN");

        Answer mine = fx.send(teamAdmin, "POST", "/api/hosts/join-tokens", "{\"maxUses\": 2, \"validHours\": 1, \"teamId\": " + team + "}");
        assertThat(mine.status()).as(mine.toString()).isEqualTo(201);
        String token = mine.json().path("token").asText();
        assertThat(token).hasSizeGreaterThan(30);
        assertThat(mine.json().path("maxUses").asInt()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT team_id FROM join_tokens WHERE token_hash = ?").param(io.hawser.console.hosts.HostSecrets.hash(token))
                .query(Long.class).single()).isEqualTo(team);

        assertThat(fx.send(teamAdmin, "POST", "/api/hosts/join-tokens", "{\"teamId\": " + otherTeam + "}").status())
                .as("another team's").isEqualTo(404);
        assertThat(fx.send(teamAdmin, "POST", "/api/hosts/join-tokens", "{}").status()).as("no team: administrators only")
                .isEqualTo(403);
        assertThat(fx.send(viewer, "POST", "/api/hosts/join-tokens", "{\"teamId\": " + team + "}").status()).isEqualTo(403);
        assertThat(fx.send("admin", "POST", "/api/hosts/join-tokens", "{\"teamId\": " + otherTeam + "}").status()).isEqualTo(201);
        Answer tooMany = fx.send("admin", "POST", "/api/hosts/join-tokens", "{\"maxUses\": 100000}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.message()).contains("enrollments");
    }
}
