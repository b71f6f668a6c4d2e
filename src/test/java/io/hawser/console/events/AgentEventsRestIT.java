package io.hawser.console.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.console.IntegrationTest;
import io.hawser.console.common.api.RestFixture;
import io.hawser.console.common.api.RestFixture.Answer;
import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import io.hawser.console.testing.AgentProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A real agent enrolled to the console, a container run on it with the docker CLI: its events reach the fleet's event
 * log (FleetEvents and GET /api/events), it is in GET /api/containers, and the REST actions stop, start, kill and
 * remove take effect on the agent as the docker CLI sees it. Deadlines are generous; nothing here measures speed.
 */
@IntegrationTest
class AgentEventsRestIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    HostService hosts;
    @Autowired
    FleetEvents events;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;

    RestFixture fx;
    UUID hostId;

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        if (hostId != null) {
            jdbc.sql("DELETE FROM hosts WHERE id = ?").param(hostId).update();
        }
        if (fx != null) {
            fx.cleanUp();
        }
    }

    @Test
    void eventsOfARealAgent_appear_andRestActionsTakeEffect() throws Exception {
        fx = new RestFixture(jdbc, encoder, port, "agrest-");
        JoinToken token = asAdmin(() -> hosts.createJoinToken(1, Duration.ofMinutes(30)));
        try (AgentProcess agent = AgentProcess.create(AgentProcess.Layout.fresh("hev"), "http://127.0.0.1:" + port)) {
            agent.start(token.token());
            await("enrolled", agent, () -> call(agent::hostId) != null);
            UUID host = call(agent::hostId);
            hostId = host;
            await("online", agent, () -> "ONLINE".equals(jdbc.sql("SELECT status FROM hosts WHERE id = ?").param(host)
                    .query(String.class).single()));
            long team = fx.team("ops");
            jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(host, team).update();
            String viewer = fx.member("viewer", team, "VIEWER");
            String operator = fx.member("operator", team, "OPERATOR");

            agent.importBusybox("evbb:1");
            Instant before = Instant.now().minusSeconds(5);
            // sh as pid 1 ignores SIGTERM unless it traps it: exit promptly on stop.
            String id = agent.docker("run", "-d", "--network", "none", "--name", "evweb", "evbb:1",
                    "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").strip();
            assertThat(id).matches("[0-9a-f]{64}");

            // The start event reaches the fleet's event log, for the service and over REST.
            await("start event recorded", agent, () -> asAdmin(() -> events.list(
                    EventQuery.ALL.withHost(host).withContainer("evweb").withAction("start"), 0, 10)).size() == 1);
            EventEntry start = asAdmin(() -> events.list(EventQuery.ALL.withHost(host).withContainer(id), 0, 10)).get(0);
            assertThat(start.actorId()).isEqualTo(id);
            assertThat(start.type()).isEqualTo("container");
            assertThat(start.attributes()).containsEntry("name", "evweb").containsEntry("image", "evbb:1");
            assertThat(start.time()).isAfter(before);
            JsonNode rest = ok(fx.get(viewer, "/api/events?host=" + host + "&container=evweb&type=container"));
            assertThat(rest.path("total").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(actions(rest)).contains("create", "start");
            assertThat(actions(ok(fx.get(viewer, "/api/events?host=" + host + "&type=image")))).contains("import");

            // The container in the fleet list, then acted on over REST; the docker CLI sees each change.
            await("container running in the inventory", agent, () -> names(operator, "host=" + host + "&state=running")
                    .contains("evweb"));
            JsonNode listed = ok(fx.get(operator, "/api/containers?host=" + host + "&name=evweb"));
            assertThat(listed.path("total").asLong()).isEqualTo(1);
            assertThat(listed.path("items").get(0).path("id").asText()).isEqualTo(id);
            assertThat(listed.path("items").get(0).path("image").asText()).isEqualTo("evbb:1");
            String path = "/api/containers/" + host + "/" + id;

            Answer denied = fx.send(viewer, "POST", path + "/stop");
            assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
            assertThat(running(agent, id)).as("a viewer's stop changed nothing").isTrue();

            assertThat(fx.send(operator, "POST", path + "/stop").status()).isEqualTo(204);
            assertThat(running(agent, id)).isFalse();
            assertThat(fx.send(operator, "POST", path + "/stop").status()).as("already stopped").isEqualTo(304);
            await("stopped in the inventory", agent, () -> names(operator, "host=" + host + "&state=exited").contains("evweb"));

            assertThat(fx.send(operator, "POST", path + "/start").status()).isEqualTo(204);
            assertThat(running(agent, id)).isTrue();
            assertThat(fx.send(operator, "POST", path + "/start").status()).as("already running").isEqualTo(304);
            assertThat(fx.send(operator, "POST", path + "/restart").status()).isEqualTo(204);
            assertThat(running(agent, id)).isTrue();

            Answer busy = fx.send(operator, "DELETE", path);
            assertThat(busy.status()).as("a running container is not removed: " + busy).isEqualTo(409);
            assertThat(busy.message()).isNotBlank();

            assertThat(fx.send(operator, "POST", path + "/kill").status()).isEqualTo(204);
            // The signal is sent when kill answers; the container dies a moment later.
            await("killed", agent, () -> !call(() -> running(agent, id)));
            Answer notRunning = fx.send(operator, "POST", path + "/kill");
            assertThat(notRunning.status()).as(notRunning.toString()).isEqualTo(409);
            assertThat(notRunning.message()).contains("not running");

            await("killed in the inventory", agent, () -> names(operator, "host=" + host + "&state=exited").contains("evweb"));
            assertThat(fx.send(operator, "DELETE", path).status()).isEqualTo(204);
            assertThat(agent.docker("ps", "-aq", "--no-trunc")).doesNotContain(id);
            await("destroy event over REST", agent, () -> actions(ok(fx.get(viewer, "/api/events?container=" + id)))
                    .contains("destroy"));
            assertThat(actions(ok(fx.get(viewer, "/api/events?container=" + id))))
                    .as("newest first").startsWith("destroy").contains("kill", "die", "stop", "restart", "start", "create");
            await("gone from the inventory", agent, () -> !names(operator, "host=" + host).contains("evweb"));
            assertThat(jdbc.sql("SELECT action || ' ' || result FROM audit_log WHERE actor = ? AND action LIKE 'container.%' "
                    + "ORDER BY id").param(operator).query(String.class).list())
                    .containsExactly("container.stop ok", "container.stop ok", "container.start ok", "container.start ok",
                            "container.restart ok", "container.remove failed", "container.kill ok", "container.kill failed",
                            "container.remove ok");
        }
    }

    private boolean running(AgentProcess agent, String id) throws Exception {
        return agent.docker("inspect", "-f", "{{.State.Running}}", id).strip().equals("true");
    }

    private List<String> names(String user, String query) {
        return ok(fx.get(user, "/api/containers?" + query)).path("items").findValuesAsText("name");
    }

    private static List<String> actions(JsonNode page) {
        return page.path("items").findValuesAsText("action");
    }

    private static JsonNode ok(Answer a) {
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        return a.json();
    }

    private static void await(String what, AgentProcess agent, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + DEADLINE + ": " + what + "\nagent log:\n" + agent.log());
            }
            Thread.sleep(100);
        }
    }

    private static <T> T call(Callable<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T asAdmin(Callable<T> work) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                "agrest-admin", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
        try {
            return work.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
