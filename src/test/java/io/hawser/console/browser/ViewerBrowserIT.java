package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.exist;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.$$;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.common.api.RestFixture;
import io.hawser.console.common.api.RestFixture.Answer;
import io.hawser.console.containers.ActionResult;
import io.hawser.console.containers.ContainerAction;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.FleetContainers;
import io.hawser.console.containers.RealAgent;
import io.hawser.console.hosts.HostService;
import java.time.Duration;
import java.util.List;
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
 * Issue 6 in a real browser: a viewer sees the team's container in the grid and its detail view but no button that
 * changes it and no terminal; a forged stop (over REST, and straight at the service) is refused and audited; an
 * operator stops it from the detail view, and the administrator's audit view shows both.
 */
@IntegrationTest
class ViewerBrowserIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    HostService hosts;
    @Autowired
    FleetContainers fleet;

    private RestFixture fx;

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        Selenide.clearBrowserCookies();
        if (fx != null) {
            fx.cleanUp();
        }
    }

    @Test
    void aViewerSeesButCannotStop_aForgedStopIsRefusedAndAudited_anOperatorStops_theAuditViewShowsBoth() throws Exception {
        Browser.use(port);
        Selenide.clearBrowserCookies();
        fx = new RestFixture(jdbc, encoder, port, "vbr-");
        long team = fx.team("ops");
        String viewer = fx.member("viewer", team, "VIEWER");
        String operator = fx.member("operator", team, "OPERATOR");
        try (RealAgent agent = RealAgent.start("vbr-host", hosts, jdbc, port)) {
            jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(agent.hostId, team).update();
            String id = agent.docker("run", "-d", "--name", "vbr-web", RealAgent.IMAGE, "sh", "-c",
                    "trap 'exit 0' TERM; echo vbr-hello; while true; do sleep 1; done").strip();
            agent.await("vbr-web running in the inventory", () -> "running".equals(jdbc.sql(
                    "SELECT state FROM containers WHERE host_id = ? AND container_id = ?").params(agent.hostId, id)
                    .query(String.class).optional().orElse(null)));
            ContainerRef ref = new ContainerRef(agent.hostId, id);
            String target = "host:" + agent.hostId + "/container:" + id;

            signIn(viewer, RestFixture.PASSWORD);
            open("/containers");
            $("#filter-name input").setValue("vbr-web");
            $("#containers-grid").shouldHave(text("vbr-host"), text("vbr-web"));
            for (String button : List.of("#action-start", "#action-stop", "#action-restart", "#action-kill",
                    "#action-remove", "#run-container")) {
                $(button).as("the viewer has no " + button).shouldNot(exist);
            }
            $$("#containers-grid a").findBy(text("vbr-web")).click();
            $("#container-state").shouldHave(text("running"));
            $$("vaadin-tab").findBy(text("Logs")).click();
            $("#logs-output").as("a viewer reads the logs").shouldHave(text("vbr-hello"));
            for (String button : List.of("#detail-start", "#detail-stop", "#detail-restart", "#detail-kill", "#detail-remove")) {
                $(button).as("the viewer has no " + button).shouldNot(exist);
            }
            $$("vaadin-tab").findBy(text("Terminal")).as("no terminal for a viewer").shouldNot(exist);
            $$("vaadin-tab").findBy(text("Overview")).shouldBe(visible);

            Answer forged = fx.send(viewer, "POST", "/api/containers/" + agent.hostId + "/" + id + "/stop");
            assertThat(forged.status()).as(forged.toString()).isEqualTo(403);
            SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                    viewer, null, AuthorityUtils.NO_AUTHORITIES));
            ActionResult direct;
            try {
                direct = fleet.perform(ContainerAction.STOP, List.of(ref)).get(0);
            } finally {
                SecurityContextHolder.clearContext();
            }
            assertThat(direct.ok()).isFalse();
            assertThat(direct.status()).isEqualTo(403);
            assertThat(agent.docker("inspect", "-f", "{{.State.Running}}", id).strip()).as("still running").isEqualTo("true");
            assertThat(audit(viewer, target)).as("both forged stops, each once").containsExactly(
                    "container.stop denied", "container.stop denied");

            Selenide.clearBrowserCookies();
            signIn(operator, RestFixture.PASSWORD);
            open("/containers/" + agent.hostId + "/" + id);
            $("#container-state").shouldHave(text("running"));
            $$("vaadin-tab").findBy(text("Terminal")).as("an operator has the terminal").shouldBe(visible);
            $("#detail-stop").click();
            $$("vaadin-confirm-dialog-overlay vaadin-button").findBy(text("Stop")).click();
            $("#container-state").shouldHave(text("exited"), Duration.ofSeconds(30));
            assertThat(audit(operator, target)).containsExactly("container.stop ok");

            Selenide.clearBrowserCookies();
            signIn("admin", IntegrationTest.ADMIN_PASSWORD);
            open("/admin/audit");
            $("#audit-target input").setValue(id);
            $("#audit-actor input").setValue(operator);
            $("#audit-grid").shouldHave(text(operator), text("container.stop"), text("ok"), text(target));
            $("#audit-actor input").setValue(viewer);
            $("#audit-grid").shouldHave(text(viewer), text("container.stop"), text("denied"), text(target));
        }
    }

    private List<String> audit(String actor, String target) {
        return jdbc.sql("SELECT action || ' ' || result FROM audit_log WHERE actor = ? AND target = ? ORDER BY id")
                .params(actor, target).query(String.class).list();
    }

    private static void signIn(String user, String password) {
        open("/login");
        $("vaadin-login-form").shouldBe(visible);
        $("vaadin-login-form input[name='username']").setValue(user);
        $("vaadin-login-form input[name='password']").setValue(password);
        $("vaadin-login-form vaadin-button[slot='submit']").click();
        $("vaadin-login-form").shouldNot(exist);
        $(".hawser-user").shouldHave(text(user));
    }
}
