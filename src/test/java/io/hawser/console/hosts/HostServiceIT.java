package io.hawser.console.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.console.IntegrationTest;
import io.hawser.console.users.Role;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who sees which hosts, decided in the service against the database. */
@IntegrationTest
class HostServiceIT {

    @Autowired
    HostService hosts;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'visibility-%'").update();
        jdbc.sql("DELETE FROM teams WHERE name LIKE 'visibility-%'").update();
        jdbc.sql("DELETE FROM users WHERE username LIKE 'visibility-%'").update();
    }

    @Test
    void adminSeesEveryHost_othersOnlyTheHostsTheirTeamsOwn() {
        long ops = jdbc.sql("INSERT INTO teams (name) VALUES ('visibility-ops') RETURNING id").query(Long.class).single();
        long web = jdbc.sql("INSERT INTO teams (name) VALUES ('visibility-web') RETURNING id").query(Long.class).single();
        long viewer = jdbc.sql("INSERT INTO users (username, password_hash) VALUES ('visibility-viewer', 'x') RETURNING id")
                .query(Long.class).single();
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, 'VIEWER')").params(ops, viewer).update();
        insertHost("visibility-a", ops);
        insertHost("visibility-b", web);
        insertHost("visibility-c");
        insertHost("visibility-d", ops, web);

        signInAs("someone-admin", Role.ADMIN);
        assertThat(hosts.visibleHosts()).extracting(Host::name)
                .containsSubsequence("visibility-a", "visibility-b", "visibility-c", "visibility-d");

        signInAs("visibility-viewer", Role.VIEWER);
        assertThat(hosts.visibleHosts()).extracting(Host::name).containsExactly("visibility-a", "visibility-d");
        assertThat(hosts.visibleHosts().get(0).teams()).containsExactly("visibility-ops");
        assertThat(hosts.visibleHosts().get(1).teams()).containsExactly("visibility-ops", "visibility-web");
        assertThat(hosts.visibleHosts().get(0).status()).isEqualTo(HostStatus.PENDING);

        signInAs("visibility-nobody", Role.OPERATOR);
        assertThat(hosts.visibleHosts()).isEmpty();

        SecurityContextHolder.clearContext();
        assertThatThrownBy(() -> hosts.visibleHosts()).isInstanceOf(AuthenticationCredentialsNotFoundException.class);
    }

    @Test
    void theLocalAgentsToken_needsNoUser_isAuditedAsSystem_andEnrollsOnce() {
        SecurityContextHolder.clearContext();
        JoinToken token = hosts.createLocalAgentToken();

        assertThat(token.maxUses()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT actor FROM audit_log WHERE action = 'host.join-token.create' ORDER BY id DESC LIMIT 1")
                .query(String.class).single()).isEqualTo("system");
        Enrollment enrolled = hosts.enroll(token.token(), "visibility-local", "test");
        assertThat(hosts.nameAndStatus(enrolled.hostId())).hasValue(java.util.Map.entry("visibility-local", HostStatus.PENDING));
        assertThatThrownBy(() -> hosts.enroll(token.token(), "visibility-local-again", "test"))
                .isInstanceOf(EnrollmentRefusedException.class).hasMessage("join token used up");
        assertThat(hosts.nameAndStatus(UUID.randomUUID())).isEmpty();
    }

    private void insertHost(String name, long... teams) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, ?)").params(id, name).update();
        for (long team : teams) {
            jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(id, team).update();
        }
    }

    private static void signInAs(String name, Role role) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                name, null, AuthorityUtils.createAuthorityList(role.authority())));
    }
}
