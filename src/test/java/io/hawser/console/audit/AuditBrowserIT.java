package io.hawser.console.audit;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.CollectionCondition.size;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.$$;
import static com.codeborne.selenide.Selenide.open;
import static com.codeborne.selenide.WebDriverRunner.getWebDriver;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.browser.Browser;
import io.hawser.console.containers.ContainerAction;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.FleetContainers;
import io.hawser.console.security.ConsoleSessions;
import io.hawser.console.security.SessionInfo;
import io.hawser.console.users.Role;
import io.hawser.console.users.UserService;
import io.hawser.console.users.Username;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * In Chromium: an administrator finds an operator's container stop in the audit view and in its CSV export, a
 * crafted container name showing as literal text in one entry; a disabled user's open session ends.
 */
@IntegrationTest
class AuditBrowserIT {

    private static final AtomicInteger N = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FleetContainers fleet;
    @Autowired
    UserService users;
    @Autowired
    ConsoleSessions sessions;

    @BeforeEach
    void browser() {
        Browser.use(port);
        Selenide.clearBrowserCookies();
    }

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'auditb-%'").update();
        jdbc.sql("DELETE FROM teams WHERE name LIKE 'auditb-%'").update();
        jdbc.sql("DELETE FROM users WHERE username LIKE 'auditb-%'").update();
    }

    @Test
    void anAdministratorSeesAnOperatorsStop_asText_andInTheCsv() throws Exception {
        String operator = "auditb-op-" + N.incrementAndGet();
        long team = jdbc.sql("INSERT INTO teams (name) VALUES (?) RETURNING id").param("auditb-team-" + N.incrementAndGet())
                .query(Long.class).single();
        long userId = jdbc.sql("INSERT INTO users (username, password_hash) VALUES (?, 'x') RETURNING id").param(operator)
                .query(Long.class).single();
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, 'OPERATOR')").params(team, userId).update();
        UUID host = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, ?)").params(host, "auditb-host-" + N.incrementAndGet()).update();
        jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(host, team).update();
        String crafted = "evil\n<b>bold</b> admin login ok";
        jdbc.sql("INSERT INTO containers (host_id, container_id, name, state) VALUES (?, 'c1', ?, 'running')")
                .params(host, crafted).update();
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                operator, null, AuthorityUtils.NO_AUTHORITIES));
        fleet.perform(ContainerAction.STOP, List.of(new ContainerRef(host, "c1")));
        SecurityContextHolder.clearContext();

        Browser.signInAsAdmin();
        $("vaadin-side-nav-item[path='admin/audit']").shouldBe(visible).click();
        $("h2").shouldHave(text("Audit log"));
        $("#audit-actor input").setValue(operator);
        $$("#audit-grid vaadin-grid-cell-content").filterBy(text("container.stop")).shouldHave(size(1));
        $$("#audit-grid vaadin-grid-cell-content").filterBy(text(operator)).shouldHave(size(1));
        $$("#audit-grid vaadin-grid-cell-content").filterBy(text("<b>bold</b>")).shouldHave(size(1));
        $$("#audit-grid b").shouldHave(size(0));

        String href = $("#audit-csv").getAttribute("href");
        String csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href))
                        .header("Cookie", "JSESSIONID=" + getWebDriver().manage().getCookieNamed("JSESSIONID").getValue()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<List<String>> records = Rfc4180.parse(csv);
        assertThat(records).hasSize(2);
        assertThat(records.get(1).get(2)).isEqualTo(operator);
        assertThat(records.get(1).get(4)).isEqualTo("container.stop");
        assertThat(records.get(1).get(6)).contains(crafted);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE actor = 'admin' AND action = 'audit.export' AND details LIKE ?")
                .param("actor=" + operator + "%").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void anAdministratorEndsASession_andDisablingAUserEndsTheirs() {
        String name = "auditb-victim-" + N.incrementAndGet();
        asAdmin(() -> users.create(new Username(name), "victim-password-123", Set.of(Role.VIEWER)));
        Browser.signIn(name, "victim-password-123");
        $("vaadin-side-nav-item[path='admin/audit']").shouldNot(com.codeborne.selenide.Condition.exist);
        open("/account");
        $("#sessions-grid").shouldHave(text("this session"));
        // An administrator ends it from the session list.
        String handle = asAdmin(() -> sessions.list().stream().filter(s -> s.username().equals(name)).findFirst().orElseThrow()
                .handle());
        asAdmin(() -> sessions.revoke(handle));
        open("/account");
        $("vaadin-login-form").shouldBe(visible);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE actor = 'admin' AND action = 'session.revoke' AND target = ?")
                .param("user:" + name).query(Long.class).single()).isEqualTo(1);

        // Disabling the user ends the session they open next.
        Browser.signIn(name, "victim-password-123");
        asAdmin(() -> assertThat(sessions.list()).extracting(SessionInfo::username).contains(name));
        asAdmin(() -> users.setEnabled(new Username(name), false));

        asAdmin(() -> assertThat(sessions.list()).extracting(SessionInfo::username).doesNotContain(name));
        open("/account");
        $("vaadin-login-form").shouldBe(visible);
    }

    private static <T> T asAdmin(java.util.function.Supplier<T> r) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "admin", null, AuthorityUtils.createAuthorityList(Role.ADMIN.authority())));
        try {
            return r.get();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static void asAdmin(Runnable r) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "admin", null, AuthorityUtils.createAuthorityList(Role.ADMIN.authority())));
        try {
            r.run();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
