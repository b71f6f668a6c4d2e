package io.hawser.console.containers.api;

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

/**
 * GET /api/containers and the actions over real HTTP, against the inventory in PostgreSQL (hosts without a link): the
 * filters, sort, paging and total; who may see and act; the errors. FleetApiAgentIT acts on a real agent.
 */
@IntegrationTest
class FleetContainersApiIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;

    RestFixture fx;
    UUID hostA;
    UUID hostB;
    String viewer;
    String operator;

    @BeforeEach
    void fleet() {
        fx = new RestFixture(jdbc, encoder, port, "capi-");
        long team = fx.team("ops");
        viewer = fx.member("viewer", team, "VIEWER");
        operator = fx.member("operator", team, "OPERATOR");
        hostA = fx.host("a", team);
        hostB = fx.host("b");
        container(hostA, "a1", "capi-web-1", "nginx:1.25", "nginx -g daemon off;", "running", "{\"tier\": \"front\"}");
        container(hostA, "a2", "capi-db", "postgres:15", "postgres", "exited", "{\"tier\": \"back\", \"backup\": \"yes\"}");
        container(hostB, "b1", "capi-web-2", "nginx:1.25", "nginx", "running", "{\"tier\": \"front\"}");
    }

    @AfterEach
    void cleanUp() {
        fx.cleanUp();
    }

    @Test
    void list_filtersSortPagingAndTotal() {
        assertThat(names("admin", "name=capi-")).containsExactly("capi-db", "capi-web-1", "capi-web-2");
        assertThat(names("admin", "host=" + hostA)).containsExactly("capi-db", "capi-web-1");
        assertThat(names("admin", "name=capi-&state=running")).containsExactly("capi-web-1", "capi-web-2");
        assertThat(names("admin", "name=capi-&image=NGINX")).containsExactly("capi-web-1", "capi-web-2");
        assertThat(names("admin", "name=capi-&label=backup")).containsExactly("capi-db");
        assertThat(names("admin", "name=capi-&label=tier%3Dfront")).containsExactly("capi-web-1", "capi-web-2");
        assertThat(names("admin", "name=capi-&q=postgres")).containsExactly("capi-db");
        assertThat(names("admin", "name=capi-&sort=-name")).containsExactly("capi-web-2", "capi-web-1", "capi-db");
        assertThat(names("admin", "name=capi-&sort=state,-host")).containsExactly("capi-db", "capi-web-2", "capi-web-1");

        JsonNode page = ok(fx.get("admin", "/api/containers?name=capi-&sort=name&offset=1&limit=1"));
        assertThat(page.path("total").asLong()).isEqualTo(3);
        assertThat(page.path("offset").asInt()).isEqualTo(1);
        assertThat(page.path("limit").asInt()).isEqualTo(1);
        assertThat(page.path("items")).hasSize(1);
        JsonNode c = page.path("items").get(0);
        assertThat(c.path("name").asText()).isEqualTo("capi-web-1");
        assertThat(c.path("hostId").asText()).isEqualTo(hostA.toString());
        assertThat(c.path("hostName").asText()).isEqualTo("capi-a");
        assertThat(c.path("id").asText()).isEqualTo("a1");
        assertThat(c.path("image").asText()).isEqualTo("nginx:1.25");
        assertThat(c.path("command").asText()).isEqualTo("nginx -g daemon off;");
        assertThat(c.path("state").asText()).isEqualTo("running");
        assertThat(c.path("labels").path("tier").asText()).isEqualTo("front");
        assertThat(c.has("cpuPercent")).isTrue();
    }

    @Test
    void list_onlyWhatTheCallerMaySee() {
        JsonNode page = ok(fx.get(viewer, "/api/containers?name=capi-"));
        assertThat(page.path("total").asLong()).isEqualTo(2);
        assertThat(names(viewer, "name=capi-")).containsExactly("capi-db", "capi-web-1");
        assertThat(names(viewer, "host=" + hostB)).isEmpty();
        assertThat(ok(fx.get(fx.user("stranger"), "/api/containers")).path("total").asLong()).isZero();
    }

    @Test
    void actions_deniedHiddenAndUnreachable_mapToTheirStatus() {
        Answer denied = fx.send(viewer, "POST", "/api/containers/" + hostA + "/a1/stop");
        assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
        assertThat(denied.message()).startsWith("not allowed");

        Answer hidden = fx.send(operator, "POST", "/api/containers/" + hostB + "/b1/stop");
        assertThat(hidden.status()).as(hidden.toString()).isEqualTo(404);
        assertThat(hidden.message()).isEqualTo("no such container");
        assertThat(fx.send(operator, "DELETE", "/api/containers/" + hostA + "/ffff").status())
                .as("no such container on a visible host").isEqualTo(404);

        Answer down = fx.send(operator, "POST", "/api/containers/" + hostA + "/a1/restart");
        assertThat(down.status()).as(down.toString()).isEqualTo(503);
        assertThat(down.message()).isEqualTo("host capi-a is not connected");

        assertThat(jdbc.sql("SELECT action || ' ' || result FROM audit_log WHERE actor IN (?, ?) AND action LIKE 'container.%' ORDER BY id")
                .params(viewer, operator).query(String.class).list())
                .as("each action audited once").containsExactly("container.stop denied", "container.stop denied",
                        "container.remove denied", "container.restart failed");
    }

    @Test
    void badParameters_are400WithAMessage_noCredentials401() {
        for (String query : List.of("limit=0", "limit=1001", "limit=abc", "offset=-1", "sort=colour", "host=not-a-uuid")) {
            Answer bad = fx.get("admin", "/api/containers?" + query);
            assertThat(bad.status()).as(query + ": " + bad).isEqualTo(400);
            assertThat(bad.message()).as(query).isNotBlank();
        }
        assertThat(fx.get("admin", "/api/containers?sort=colour").message()).startsWith("unknown sort key 'colour'");
        Answer badId = fx.send("admin", "POST", "/api/containers/" + hostA + "/NOT-HEX/stop");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.message()).isEqualTo("not a container id: NOT-HEX");
        assertThat(fx.send("admin", "POST", "/api/containers/nope/a1/stop").status()).isEqualTo(400);

        for (String[] call : List.of(new String[] {"GET", "/api/containers"},
                new String[] {"POST", "/api/containers/" + hostA + "/a1/start"},
                new String[] {"DELETE", "/api/containers/" + hostA + "/a1"})) {
            Answer anonymous = fx.send(null, call[0], call[1]);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.message()).isEqualTo("authentication required");
        }
        assertThat(jdbc.sql("SELECT state FROM containers WHERE host_id = ? AND container_id = 'a1'").param(hostA)
                .query(String.class).single()).isEqualTo("running");
    }

    private List<String> names(String user, String query) {
        List<String> names = new ArrayList<>();
        ok(fx.get(user, "/api/containers?" + query)).path("items").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    private static JsonNode ok(Answer a) {
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        return a.json();
    }

    private void container(UUID host, String id, String name, String image, String command, String state, String labels) {
        jdbc.sql("""
                        INSERT INTO containers (host_id, container_id, name, image, command, state, labels)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(host, id, name, image, command, state, labels).update();
    }
}
