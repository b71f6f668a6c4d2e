package io.hawser.console.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.IntegrationTest;
import io.hawser.console.users.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** Join tokens and enrollment over real HTTP, and the host credential at the link's door. */
@IntegrationTest
class EnrollmentIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    HostService hosts;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM hosts WHERE hostname LIKE 'enroll-it-%'").update();
        jdbc.sql("DELETE FROM login_throttle WHERE key LIKE '%enroll@%'").update();
    }

    @Test
    void anAdminsToken_enrollsOnce_andOnlyItsHashIsStored() throws Exception {
        JoinToken token = asAdmin(() -> hosts.createJoinToken(1, Duration.ofHours(1)));
        assertThat(token.token()).hasSize(43);
        assertThat(jdbc.sql("SELECT count(*) FROM join_tokens WHERE token_hash = ?").param(HostSecrets.hash(token.token()))
                .query(Long.class).single()).isEqualTo(1);

        HttpResponse<String> enrolled = enroll(token.token(), "enroll-it-a");

        assertThat(enrolled.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(enrolled.body());
        UUID hostId = UUID.fromString(body.path("hostId").asText());
        String credential = body.path("credential").asText();
        assertThat(credential).hasSize(43);
        Map<String, Object> row = jdbc.sql("SELECT name, status, agent_version, credential_hash, row_to_json(h)::text AS everything "
                + "FROM hosts h WHERE id = ?").param(hostId).query().singleRow();
        assertThat(row.get("name")).isEqualTo("enroll-it-a");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("agent_version")).isEqualTo("9.9-it");
        assertThat((byte[]) row.get("credential_hash")).isEqualTo(HostSecrets.hash(credential));
        assertThat((String) row.get("everything")).doesNotContain(credential);
        assertThat(hosts.credentialValid(hostId, credential)).isTrue();
        assertThat(hosts.credentialValid(hostId, credential.substring(1))).isFalse();
        assertThat(audit("host.enroll", "host:" + hostId)).containsExactly("ok");

        HttpResponse<String> again = enroll(token.token(), "enroll-it-b");
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(again.body()).path("message").asText()).isEqualTo("join token used up");
        assertThat(jdbc.sql("SELECT count(*) FROM hosts WHERE hostname = 'enroll-it-b'").query(Long.class).single()).isZero();
    }

    @Test
    void unknownAndExpiredTokens_areRefused() throws Exception {
        HttpResponse<String> unknown = enroll(HostSecrets.generate(), "enroll-it-unknown");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unknown.body()).path("message").asText()).isEqualTo("unknown join token");

        JoinToken token = asAdmin(() -> hosts.createJoinToken(5, Duration.ofMinutes(10)));
        jdbc.sql("UPDATE join_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ?")
                .param(HostSecrets.hash(token.token())).update();
        HttpResponse<String> expired = enroll(token.token(), "enroll-it-expired");
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(expired.body()).path("message").asText()).isEqualTo("join token expired");
        assertThat(jdbc.sql("SELECT count(*) FROM hosts WHERE hostname LIKE 'enroll-it-%'").query(Long.class).single()).isZero();
    }

    @Test
    void aTokenWithTwoUses_enrollsTwoHosts_evenOfTheSameName() throws Exception {
        JoinToken token = asAdmin(() -> hosts.createJoinToken(2, Duration.ofMinutes(10)));
        assertThat(enroll(token.token(), "enroll-it-twin").statusCode()).isEqualTo(200);
        assertThat(enroll(token.token(), "enroll-it-twin").statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT name FROM hosts WHERE hostname = 'enroll-it-twin' ORDER BY name").query(String.class).list())
                .containsExactly("enroll-it-twin", "enroll-it-twin-2");
        assertThat(enroll(token.token(), "enroll-it-twin").statusCode()).isEqualTo(403);
    }

    @Test
    void onlyAdminsCreateTokensRenameLabelAndRemove() throws Exception {
        signInAs("someone", Role.OPERATOR);
        assertThatThrownBy(() -> hosts.createJoinToken(1, Duration.ofHours(1))).isInstanceOf(AccessDeniedException.class);
        // A host the caller cannot see (here: none exists) is refused as absent, 404 (a visible one is 403: HostsApiIT).
        assertThatThrownBy(() -> hosts.remove(UUID.randomUUID())).isInstanceOf(io.hawser.console.access.NotVisibleException.class);
        assertThatThrownBy(() -> hosts.rename(UUID.randomUUID(), "x")).isInstanceOf(io.hawser.console.access.NotVisibleException.class);
        assertThatThrownBy(() -> hosts.setLabels(UUID.randomUUID(), Map.of())).isInstanceOf(io.hawser.console.access.NotVisibleException.class);
        assertThatThrownBy(() -> asAdmin(() -> hosts.createJoinToken(0, Duration.ofHours(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> asAdmin(() -> hosts.createJoinToken(1, Duration.ofDays(31))))
                .isInstanceOf(IllegalArgumentException.class);

        JoinToken token = asAdmin(() -> hosts.createJoinToken(1, Duration.ofHours(1)));
        UUID hostId = UUID.fromString(JSON.readTree(enroll(token.token(), "enroll-it-admin").body()).path("hostId").asText());
        asAdmin(() -> {
            hosts.rename(hostId, "enroll-it-renamed");
            hosts.setLabels(hostId, Map.of("rack", "b7", "zone", "eu-1"));
            return null;
        });
        assertThat(jdbc.sql("SELECT name FROM hosts WHERE id = ?").param(hostId).query(String.class).single())
                .isEqualTo("enroll-it-renamed");
        // labels() answers sorted by key; Map.of's own order varies from one JVM to the next
        assertThat(asAdmin(() -> hosts.labels(hostId))).containsExactlyEntriesOf(new TreeMap<>(Map.of("rack", "b7", "zone", "eu-1")));
        assertThat(audit("host.rename", "host:" + hostId)).containsExactly("ok");
        assertThat(audit("host.labels", "host:" + hostId)).containsExactly("ok");
        assertThatThrownBy(() -> asAdmin(() -> {
            hosts.setLabels(hostId, Map.of("bad key", "x"));
            return null;
        })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLink_refusesMissingWrongAndRevokedCredentials_with401() throws Exception {
        JoinToken token = asAdmin(() -> hosts.createJoinToken(1, Duration.ofHours(1)));
        JsonNode enrolled = JSON.readTree(enroll(token.token(), "enroll-it-link").body());
        UUID hostId = UUID.fromString(enrolled.path("hostId").asText());
        String bearer = hostId + "." + enrolled.path("credential").asText();

        assertThat(linkStatus(null)).isEqualTo(401);
        assertThat(linkStatus("Bearer " + hostId + "." + HostSecrets.generate())).isEqualTo(401);
        assertThat(linkStatus("Bearer " + bearer)).isEqualTo(101);

        asAdmin(() -> {
            hosts.remove(hostId);
            return null;
        });
        assertThat(linkStatus("Bearer " + bearer)).isEqualTo(401);
        assertThat(audit("host.remove", "host:" + hostId)).containsExactly("ok");
    }

    /** 101 when the WebSocket opens (then closed again), else the handshake's HTTP status. */
    private int linkStatus(String authorization) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            WebSocket ws = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/agent-link"), new WebSocket.Listener() { })
                    .get(30, TimeUnit.SECONDS);
            ws.abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private HttpResponse<String> enroll(String token, String hostname) throws Exception {
        String body = JSON.writeValueAsString(Map.of("token", token, "hostname", hostname, "agentVersion", "9.9-it"));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/agent/enroll"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> audit(String action, String target) {
        return jdbc.sql("SELECT result FROM audit_log WHERE action = ? AND target = ? ORDER BY id")
                .params(action, target).query(String.class).list();
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T asAdmin(Call<T> call) throws Exception {
        var before = SecurityContextHolder.getContext().getAuthentication();
        signInAs("it-admin", Role.ADMIN);
        try {
            return call.call();
        } finally {
            SecurityContextHolder.getContext().setAuthentication(before);
        }
    }

    private static void signInAs(String name, Role role) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                name, null, AuthorityUtils.createAuthorityList(role.authority())));
    }
}
