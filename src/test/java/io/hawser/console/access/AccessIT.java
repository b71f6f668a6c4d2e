package io.hawser.console.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.console.IntegrationTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** The one decision: each team role and ceiling against each permission, on a host of the team and on another. */
@IntegrationTest
class AccessIT {

    @Autowired
    Access access;
    @Autowired
    JdbcClient jdbc;

    UUID ours;
    UUID theirs;
    long team;

    @BeforeEach
    void teamsAndHosts() {
        team = jdbc.sql("INSERT INTO teams (name) VALUES ('accit-ours') RETURNING id").query(Long.class).single();
        long other = jdbc.sql("INSERT INTO teams (name) VALUES ('accit-theirs') RETURNING id").query(Long.class).single();
        ours = host("accit-ours", team);
        theirs = host("accit-theirs", other);
        for (TeamRole role : TeamRole.values()) {
            long user = user("accit-" + role.name().toLowerCase().replace('_', '-'));
            jdbc.sql("INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, ?)").params(team, user, role.name()).update();
        }
        user("accit-nobody");
    }

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'accit-%'").update();
        jdbc.sql("DELETE FROM teams WHERE name LIKE 'accit-%'").update();
        jdbc.sql("DELETE FROM users WHERE username LIKE 'accit-%'").update();
    }

    @Test
    void permissionsAreTheTableAndTheEnumAlike() {
        assertThat(jdbc.sql("SELECT name FROM permissions").query(String.class).set())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Permission.values()).map(Enum::name).toList());
        assertThat(jdbc.sql("SELECT name FROM roles WHERE team_rank IS NOT NULL ORDER BY team_rank").query(String.class).list())
                .containsExactlyElementsOf(Arrays.stream(TeamRole.values()).map(Enum::name).toList());
    }

    @Test
    void eachTeamRoleHasItsPermissionsOnItsTeamsHostsAndNothingElsewhere() {
        Set<Permission> viewer = EnumSet.of(Permission.HOST_VIEW);
        Set<Permission> operator = EnumSet.of(Permission.HOST_VIEW, Permission.CONTAINER_CONTROL, Permission.CONTAINER_EXEC,
                Permission.IMAGE_MANAGE);
        Set<Permission> teamAdmin = EnumSet.allOf(Permission.class);
        List<String> wrong = new ArrayList<>();
        check(wrong, "accit-nobody", EnumSet.noneOf(Permission.class), false);
        check(wrong, "accit-viewer", viewer, false);
        check(wrong, "accit-operator", operator, false);
        check(wrong, "accit-team-admin", teamAdmin, false);
        check(wrong, "accit-global", teamAdmin, true, "ROLE_ADMIN");
        assertThat(wrong).isEmpty();
    }

    @Test
    void aCeilingCapsTheRole_alsoForAGlobalAdministrator() {
        List<String> wrong = new ArrayList<>();
        check(wrong, "accit-team-admin", EnumSet.of(Permission.HOST_VIEW), false, TeamRole.VIEWER.ceilingAuthority());
        check(wrong, "accit-team-admin", EnumSet.of(Permission.HOST_VIEW, Permission.CONTAINER_CONTROL,
                Permission.CONTAINER_EXEC, Permission.IMAGE_MANAGE), false, TeamRole.OPERATOR.ceilingAuthority());
        // A ceiling never raises: a viewer's token narrowed to TEAM_ADMIN is still a viewer's.
        check(wrong, "accit-viewer", EnumSet.of(Permission.HOST_VIEW), false, TeamRole.TEAM_ADMIN.ceilingAuthority());
        // A narrowed administrator sees every host, with the narrowed role's rights only.
        check(wrong, "accit-global", EnumSet.of(Permission.HOST_VIEW), true, "ROLE_ADMIN", TeamRole.VIEWER.ceilingAuthority());
        assertThat(wrong).isEmpty();
        signIn("accit-global", "ROLE_ADMIN", TeamRole.OPERATOR.ceilingAuthority());
        assertThat(access.isGlobalAdmin()).isFalse();
        assertThatThrownBy(access::requireGlobalAdmin).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void aDisabledUserHasNoRightsEvenInASessionThatOutlivedTheChange() {
        jdbc.sql("UPDATE users SET enabled = false WHERE username = 'accit-operator'").update();
        List<String> wrong = new ArrayList<>();
        check(wrong, "accit-operator", EnumSet.noneOf(Permission.class), false);
        assertThat(wrong).isEmpty();
    }

    @Test
    void requireAnswersHiddenAsNotFoundAndVisibleButNotAllowedAsDenied() {
        signIn("accit-viewer");
        access.require(ours, Permission.HOST_VIEW);
        assertThatThrownBy(() -> access.require(ours, Permission.CONTAINER_CONTROL)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> access.require(theirs, Permission.HOST_VIEW)).isInstanceOf(NotVisibleException.class);
        assertThatThrownBy(() -> access.require(UUID.randomUUID(), Permission.HOST_VIEW))
                .isInstanceOf(NotVisibleException.class);
        assertThat(access.mayInTeam(team, Permission.TEAM_MANAGE)).isFalse();
        signIn("accit-team-admin");
        assertThat(access.mayInTeam(team, Permission.TEAM_MANAGE)).isTrue();
        access.requireInTeam(team, Permission.HOST_ENROLL);
    }

    @Test
    void listsAreFilteredByTheSameRule() {
        signIn("accit-operator");
        SqlCondition c = access.hostsWhere("h.id", Permission.CONTAINER_CONTROL);
        assertThat(jdbc.sql("SELECT h.name FROM hosts h WHERE h.name LIKE 'accit-%' AND " + c.sql()).params(c.params())
                .query(String.class).list()).containsExactly("accit-ours");
        signIn("accit-viewer");
        c = access.hostsWhere("h.id", Permission.CONTAINER_CONTROL);
        assertThat(jdbc.sql("SELECT h.name FROM hosts h WHERE h.name LIKE 'accit-%' AND " + c.sql()).params(c.params())
                .query(String.class).list()).isEmpty();
    }

    private void check(List<String> wrong, String user, Set<Permission> expectedOnOurs, boolean expectedOnTheirs,
                       String... authorities) {
        signIn(user, authorities);
        for (Permission p : Permission.values()) {
            if (p == Permission.HOST_ENROLL || p == Permission.TEAM_MANAGE) {
                if (access.mayInTeam(team, p) != expectedOnOurs.contains(p)) {
                    wrong.add(user + " " + Arrays.toString(authorities) + " team " + p);
                }
                continue;
            }
            if (access.may(ours, p) != expectedOnOurs.contains(p)) {
                wrong.add(user + " " + Arrays.toString(authorities) + " ours " + p);
            }
            if (access.may(theirs, p) != (expectedOnTheirs && expectedOnOurs.contains(p))) {
                wrong.add(user + " " + Arrays.toString(authorities) + " theirs " + p);
            }
        }
    }

    private static void signIn(String user, String... authorities) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                user, null, AuthorityUtils.createAuthorityList(authorities)));
    }

    private UUID host(String name, long teamId) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, ?)").params(id, name).update();
        jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(id, teamId).update();
        return id;
    }

    private long user(String name) {
        return jdbc.sql("INSERT INTO users (username, password_hash) VALUES (?, 'x') RETURNING id").param(name)
                .query(Long.class).single();
    }
}
