package io.hawser.console.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.hawser.console.IntegrationTest;
import io.hawser.console.access.Access;
import io.hawser.console.access.TeamRole;
import io.hawser.console.containers.ActionResult;
import io.hawser.console.containers.ContainerAction;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.FleetContainers;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;

/** API tokens: bearer authentication on /api/**, revocation, expiry, narrowing, and no secret at rest. */
@IntegrationTest
class ApiTokensIT {

    private static final AtomicInteger N = new AtomicInteger();

    @Autowired
    ApiTokens tokens;
    @Autowired
    FleetContainers fleet;
    @Autowired
    Access access;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'tokit-%'").update();
        jdbc.sql("DELETE FROM teams WHERE name LIKE 'tokit-%'").update();
        jdbc.sql("DELETE FROM users WHERE username LIKE 'tokit-%'").update();
    }

    @Test
    void aTokenWorksUntilRevoked_andItsCreationAndRevocationAreAuditedOnce() throws Exception {
        String alice = user("tokit-alice");
        signIn(alice);
        NewApiToken created = tokens.create("ci-deploy", Duration.ofDays(30), Optional.empty());
        assertThat(created.secret()).startsWith("hwt_").hasSizeGreaterThan(40);
        SecurityContextHolder.clearContext();

        MockHttpServletResponse me = bearer("/api/me", created.secret());
        assertThat(me.getStatus()).isEqualTo(200);
        assertThat(me.getContentAsString()).contains("\"user\":\"" + alice + "\"")
                .contains("\"actor\":\"" + alice + " (token ci-deploy)\"").contains("\"ceiling\":null");
        assertThat(jdbc.sql("SELECT last_used_at IS NOT NULL FROM api_tokens WHERE id = ?").param(created.token().id())
                .query(Boolean.class).single()).as("use is recorded").isTrue();

        signIn(alice);
        assertThat(tokens.mine()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("ci-deploy");
            assertThat(t.lastUsedAt()).isPresent();
        });
        tokens.revoke(created.token().id());
        tokens.revoke(created.token().id()); // a second revocation changes nothing
        SecurityContextHolder.clearContext();

        MockHttpServletResponse refused = bearer("/api/me", created.secret());
        assertThat(refused.getStatus()).isEqualTo(401);
        assertThat(refused.getContentAsString()).contains("\"message\":").contains("revoked");
        assertThat(audit(alice)).containsExactly("token.create ok", "token.revoke ok");
    }

    @Test
    void anExpiredToken_aDisabledUsersToken_andAnUnknownOne_areRefused() throws Exception {
        String bob = user("tokit-bob");
        signIn(bob);
        NewApiToken expiring = tokens.create("short", Duration.ofDays(1), Optional.empty());
        NewApiToken other = tokens.create("other", Duration.ofDays(1), Optional.empty());
        SecurityContextHolder.clearContext();
        assertThat(bearer("/api/me", expiring.secret()).getStatus()).isEqualTo(200);

        jdbc.sql("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ?").param(expiring.token().id()).update();
        MockHttpServletResponse expired = bearer("/api/me", expiring.secret());
        assertThat(expired.getStatus()).isEqualTo(401);
        assertThat(expired.getContentAsString()).contains("expired");

        jdbc.sql("UPDATE users SET enabled = false WHERE username = ?").param(bob).update();
        MockHttpServletResponse disabled = bearer("/api/me", other.secret());
        assertThat(disabled.getStatus()).isEqualTo(401);
        assertThat(disabled.getContentAsString()).contains("disabled");

        MockHttpServletResponse unknown = bearer("/api/me", "hwt_" + "A".repeat(43));
        assertThat(unknown.getStatus()).isEqualTo(401);
        assertThat(unknown.getContentAsString()).isEqualTo("{\"message\":\"unknown API token\"}");
    }

    @Test
    void aNarrowedTokenCannotExceedItsRole_evenForAnAdministrator() throws Exception {
        String operator = user("tokit-operator");
        long team = jdbc.sql("INSERT INTO teams (name) VALUES (?) RETURNING id").param("tokit-team-" + N.incrementAndGet())
                .query(Long.class).single();
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) SELECT ?, id, 'OPERATOR' FROM users WHERE username = ?")
                .params(team, operator).update();
        UUID host = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, ?)").params(host, "tokit-host-" + N.incrementAndGet()).update();
        jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(host, team).update();
        jdbc.sql("INSERT INTO containers (host_id, container_id, name, state) VALUES (?, 'c1', 'web', 'running')").param(host).update();

        signIn(operator);
        NewApiToken readOnly = tokens.create("read-only", Duration.ofDays(7), Optional.of(TeamRole.VIEWER));
        NewApiToken full = tokens.create("full", Duration.ofDays(7), Optional.empty());

        SecurityContextHolder.getContext().setAuthentication(tokens.authenticate(readOnly.secret()));
        List<ActionResult> denied = fleet.perform(ContainerAction.STOP, List.of(new ContainerRef(host, "c1")));
        assertThat(denied).singleElement().satisfies(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.message()).startsWith("not allowed");
        });
        SecurityContextHolder.getContext().setAuthentication(tokens.authenticate(full.secret()));
        List<ActionResult> allowed = fleet.perform(ContainerAction.STOP, List.of(new ContainerRef(host, "c1")));
        assertThat(allowed.get(0).message()).as("allowed, and tried on the host").contains("not connected");

        assertThat(jdbc.sql("SELECT actor || ' ' || result FROM audit_log WHERE action = 'container.stop' AND target = ? ORDER BY id")
                .param("host:" + host + "/container:c1").query(String.class).list())
                .containsExactly(operator + " (token read-only) denied", operator + " (token full) failed");

        // An administrator's narrowed token has no administrator rights.
        SecurityContextHolder.clearContext();
        signInAsAdmin();
        NewApiToken adminViewer = tokens.create("tokit-viewer-" + N.incrementAndGet(), Duration.ofDays(1), Optional.of(TeamRole.VIEWER));
        SecurityContextHolder.getContext().setAuthentication(tokens.authenticate(adminViewer.secret()));
        assertThat(SecurityContextHolder.getContext().getAuthentication().getAuthorities())
                .extracting(a -> a.getAuthority()).containsExactly("CEILING_VIEWER");
        assertThat(access.isGlobalAdmin()).isFalse();
        assertThat(access.may(host, io.hawser.console.access.Permission.CONTAINER_CONTROL)).isFalse();
        SecurityContextHolder.clearContext();
        MockHttpServletResponse me = bearer("/api/me", adminViewer.secret());
        assertThat(me.getContentAsString()).contains("\"admin\":false", "\"ceiling\":\"VIEWER\"");
        signInAsAdmin();
        tokens.revoke(adminViewer.token().id());
    }

    @Test
    void theSecretIsNotStored_onlyItsSha256() {
        String carol = user("tokit-carol");
        signIn(carol);
        NewApiToken created = tokens.create("scan-me", Duration.ofDays(1), Optional.empty());
        String random = created.secret().substring(ApiTokens.PREFIX.length());

        List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM api_tokens").query().listOfRows();
        for (Map<String, Object> row : rows) {
            for (Object value : row.values()) {
                String text = value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                        + HexFormat.of().formatHex(bytes) : String.valueOf(value);
                assertThat(text).doesNotContain(random);
            }
        }
        byte[] stored = jdbc.sql("SELECT token_hash FROM api_tokens WHERE id = ?").param(created.token().id())
                .query(byte[].class).single();
        assertThat(stored).isEqualTo(ApiTokens.hash(created.secret()));
    }

    @Test
    void tokensAreManagedBySignedInUsersOnly_andOnlyTheirOwn() {
        String dave = user("tokit-dave");
        String eve = user("tokit-eve");
        signIn(dave);
        NewApiToken daves = tokens.create("mine", Duration.ofDays(1), Optional.empty());
        assertThatThrownBy(() -> tokens.create("mine", Duration.ofDays(1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> tokens.create("bad name", Duration.ofDays(1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.create("long", Duration.ofDays(400), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);

        SecurityContextHolder.getContext().setAuthentication(tokens.authenticate(daves.secret()));
        assertThatThrownBy(() -> tokens.create("escalate", Duration.ofDays(1), Optional.empty()))
                .isInstanceOf(AccessDeniedException.class);

        signIn(eve);
        assertThat(tokens.mine()).isEmpty();
        assertThatThrownBy(() -> tokens.revoke(daves.token().id()))
                .isInstanceOf(io.hawser.console.access.NotVisibleException.class);
        assertThatThrownBy(() -> tokens.all()).isInstanceOf(AccessDeniedException.class);
        assertThat(audit(eve)).containsExactly("token.revoke denied");
        assertThat(audit(dave)).containsExactly("token.create ok");
        assertThat(audit(dave + " (token mine)")).containsExactly("token.create denied");
        signInAsAdmin();
        assertThat(tokens.all()).extracting(ApiToken::name).contains("mine");
    }

    private MockHttpServletResponse bearer(String path, String secret) throws Exception {
        return mvc.perform(get(path).header("Authorization", "Bearer " + secret)).andReturn().getResponse();
    }

    private List<String> audit(String actor) {
        return jdbc.sql("SELECT action || ' ' || result FROM audit_log WHERE actor = ? ORDER BY id").param(actor)
                .query(String.class).list();
    }

    private String user(String prefix) {
        String name = prefix + "-" + N.incrementAndGet();
        jdbc.sql("INSERT INTO users (username, password_hash) VALUES (?, 'x')").param(name).update();
        return name;
    }

    private static void signIn(String user) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                user, null, AuthorityUtils.NO_AUTHORITIES));
    }

    private static void signInAsAdmin() {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "admin", null, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
    }
}
