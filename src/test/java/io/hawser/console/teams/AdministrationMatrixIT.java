package io.hawser.console.teams;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.console.IntegrationTest;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.access.TeamRole;
import io.hawser.console.audit.AuditSearch;
import io.hawser.console.audit.AuditTrail;
import io.hawser.console.hosts.Enrollment;
import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import io.hawser.console.users.ApiTokens;
import io.hawser.console.users.Role;
import io.hawser.console.users.UserService;
import io.hawser.console.users.Username;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The permission matrix of the administration services: nobody, viewer, operator and admin of a team, and a
 * global administrator, each on their own team and on another: allow, 403 or 404. Then: one audit entry per
 * change and per refusal, and a team join token enrolling its host into the team.
 */
@IntegrationTest
class AdministrationMatrixIT {

    private static final AtomicInteger N = new AtomicInteger();

    @Autowired
    TeamService teams;
    @Autowired
    UserService users;
    @Autowired
    HostService hosts;
    @Autowired
    AuditTrail trail;
    @Autowired
    ApiTokens tokens;
    @Autowired
    JdbcClient jdbc;

    String p;
    long ours;
    long theirs;
    UUID host;

    @BeforeEach
    void teams() {
        p = "tmx" + N.incrementAndGet() + "-";
        ours = jdbc.sql("INSERT INTO teams (name) VALUES (?) RETURNING id").param(p + "ours").query(Long.class).single();
        theirs = jdbc.sql("INSERT INTO teams (name) VALUES (?) RETURNING id").param(p + "theirs").query(Long.class).single();
        for (TeamRole role : TeamRole.values()) {
            member(ours, user(p + role.name().toLowerCase().replace('_', '-')), role);
        }
        user(p + "nobody");
        user(p + "target");
        member(theirs, user(p + "stranger"), TeamRole.VIEWER);
        host = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, ?)").params(host, p + "host").update();
    }

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'tmx%'").update();
        jdbc.sql("DELETE FROM teams WHERE name LIKE 'tmx%'").update();
        jdbc.sql("DELETE FROM users WHERE username LIKE 'tmx%'").update();
    }

    @Test
    void eachRoleOnItsOwnTeamAndOnAnother() {
        Map<String, Consumer<Long>> teamActions = new LinkedHashMap<>();
        teamActions.put("members", t -> teams.members(t));
        teamActions.put("hosts", t -> teams.hosts(t));
        teamActions.put("setMember", t -> teams.setMember(t, new Username(p + "target"), TeamRole.VIEWER));
        teamActions.put("removeMember", t -> {
            teams.setMember(t, new Username(p + "target"), TeamRole.VIEWER);
            teams.removeMember(t, new Username(p + "target"));
        });
        teamActions.put("joinToken", t -> hosts.createJoinToken(1, Duration.ofHours(1), t));
        teamActions.put("assignHost", t -> teams.assignHost(t, host));
        teamActions.put("update", t -> teams.update(t, jdbc.sql("SELECT name FROM teams WHERE id = ?").param(t)
                .query(String.class).single(), "changed"));

        // Expected outcome on our team, on their team.
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        expected.put("nobody", expect("404 404", "404 404", "404 404", "404 404", "404 404", "403 403", "403 403"));
        expected.put("viewer", expect("ok 404", "ok 404", "403 404", "403 404", "403 404", "403 403", "403 403"));
        expected.put("operator", expect("ok 404", "ok 404", "403 404", "403 404", "403 404", "403 403", "403 403"));
        expected.put("team-admin", expect("ok 404", "ok 404", "ok 404", "ok 404", "ok 404", "403 403", "403 403"));
        expected.put("global", expect("ok ok", "ok ok", "ok ok", "ok ok", "ok ok", "ok ok", "ok ok"));

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> who : expected.entrySet()) {
            for (Map.Entry<String, Consumer<Long>> action : teamActions.entrySet()) {
                String[] want = who.getValue().get(action.getKey()).split(" ");
                check(wrong, who.getKey(), action.getKey() + "@ours", want[0], () -> action.getValue().accept(ours));
                check(wrong, who.getKey(), action.getKey() + "@theirs", want[1], () -> action.getValue().accept(theirs));
            }
            String global = who.getKey().equals("global") ? "ok" : "403";
            check(wrong, who.getKey(), "createTeam", global, () -> teams.create(p + who.getKey() + "-new", null));
            check(wrong, who.getKey(), "unscopedJoinToken", global, () -> hosts.createJoinToken(1, Duration.ofHours(1)));
            check(wrong, who.getKey(), "listUsers", global, () -> users.list());
            check(wrong, who.getKey(), "createUser", global, () -> users.create(new Username(p + who.getKey() + "-made"),
                    "a-long-enough-password", Set.of()));
            check(wrong, who.getKey(), "disableUser", global, () -> users.setEnabled(new Username(p + "target"), true));
            check(wrong, who.getKey(), "resetPassword", global, () -> users.resetPassword(new Username(p + "target"),
                    "another-long-password"));
            check(wrong, who.getKey(), "searchAudit", global, () -> trail.search(AuditSearch.ALL, 0, 1));
            check(wrong, who.getKey(), "allTokens", global, () -> tokens.all());
        }
        assertThat(wrong).isEmpty();

        // Lists: each sees the teams they are in.
        signInAs("viewer");
        assertThat(teams.visibleTeams()).extracting(Team::name).containsExactly(p + "ours");
        signInAs("stranger");
        assertThat(teams.visibleTeams()).extracting(Team::name).containsExactly(p + "theirs");
        signInAs("nobody");
        assertThat(teams.visibleTeams()).extracting(Team::name).noneMatch(n -> n.startsWith(p));
    }

    @Test
    void everyChangeAndEveryRefusalIsAuditedExactlyOnce() {
        signInAs("global");
        long team = teams.create(p + "audited", "first");
        teams.update(team, p + "audited", "second");
        teams.setMember(team, new Username(p + "target"), TeamRole.OPERATOR);
        teams.setMember(team, new Username(p + "target"), TeamRole.OPERATOR); // no change, no entry
        teams.setMember(team, new Username(p + "target"), TeamRole.VIEWER);
        teams.assignHost(team, host);
        teams.unassignHost(team, host);
        teams.removeMember(team, new Username(p + "target"));
        users.setEnabled(new Username(p + "target"), false);
        users.setEnabled(new Username(p + "target"), true);
        users.resetPassword(new Username(p + "target"), "reset-to-this-password");
        teams.delete(team);
        assertThat(audit(p + "global")).containsExactly(
                "team.create ok team:" + team + " name=" + p + "audited",
                "team.update ok team:" + team + " name=" + p + "audited -> " + p + "audited",
                "team.member.set ok team:" + team + " user=" + p + "target role=OPERATOR",
                "team.member.set ok team:" + team + " user=" + p + "target role=OPERATOR -> VIEWER",
                "team.host.add ok team:" + team + " host=" + p + "host id=" + host,
                "team.host.remove ok team:" + team + " host=" + p + "host id=" + host,
                "team.member.remove ok team:" + team + " user=" + p + "target",
                "user.disable ok user:" + p + "target null",
                "user.enable ok user:" + p + "target null",
                "user.password.reset ok user:" + p + "target null",
                "team.delete ok team:" + team + " name=" + p + "audited");

        signInAs("viewer");
        check(new ArrayList<>(), "viewer", "setMember", "403", () -> teams.setMember(ours, new Username(p + "target"), TeamRole.VIEWER));
        assertThat(audit(p + "viewer")).containsExactly("team.member.set denied team:" + ours
                + " not allowed: your role in this team may not manage its members");
        assertThat(jdbc.sql("SELECT count(*) FROM team_members m JOIN users u ON u.id = m.user_id WHERE u.username = ?")
                .param(p + "target").query(Long.class).single()).isZero();
    }

    @Test
    void aTeamAdminsJoinTokenEnrollsItsHostIntoTheTeam() {
        signInAs("team-admin");
        JoinToken token = hosts.createJoinToken(1, Duration.ofHours(1), ours);
        SecurityContextHolder.clearContext();
        Enrollment enrolled = hosts.enroll(token.token(), p + "enrolled", "test");
        assertThat(jdbc.sql("SELECT team_id FROM host_teams WHERE host_id = ?").param(enrolled.hostId()).query(Long.class).list())
                .containsExactly(ours);
        signInAs("viewer");
        assertThat(teams.hosts(ours)).extracting(TeamHost::name).containsExactly(p + "enrolled");
        // An unscoped token enrolls into no team.
        signInAs("global");
        JoinToken plain = hosts.createJoinToken(1, Duration.ofHours(1));
        SecurityContextHolder.clearContext();
        Enrollment other = hosts.enroll(plain.token(), p + "plain", "test");
        assertThat(jdbc.sql("SELECT count(*) FROM host_teams WHERE host_id = ?").param(other.hostId()).query(Long.class).single())
                .isZero();
    }

    private static Map<String, String> expect(String members, String hosts, String setMember, String removeMember,
                                              String joinToken, String assignHost, String update) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("members", members);
        m.put("hosts", hosts);
        m.put("setMember", setMember);
        m.put("removeMember", removeMember);
        m.put("joinToken", joinToken);
        m.put("assignHost", assignHost);
        m.put("update", update);
        return m;
    }

    private void check(List<String> wrong, String who, String action, String expected, Runnable call) {
        signInAs(who);
        String outcome;
        try {
            call.run();
            outcome = "ok";
        } catch (AccessDeniedException e) {
            outcome = "403";
        } catch (NotVisibleException e) {
            outcome = "404";
        }
        if (!outcome.equals(expected)) {
            wrong.add(who + " " + action + ": " + outcome + " instead of " + expected);
        }
    }

    private void signInAs(String who) {
        boolean global = who.equals("global");
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(p + who, null,
                global ? AuthorityUtils.createAuthorityList(Role.ADMIN.authority()) : AuthorityUtils.NO_AUTHORITIES));
    }

    private List<String> audit(String actor) {
        return jdbc.sql("SELECT action || ' ' || result || ' ' || coalesce(target, 'null') || ' ' || coalesce(details, 'null') "
                        + "FROM audit_log WHERE actor = ? ORDER BY id")
                .param(actor).query(String.class).list();
    }

    private long user(String name) {
        return jdbc.sql("INSERT INTO users (username, password_hash) VALUES (?, 'x') RETURNING id").param(name)
                .query(Long.class).single();
    }

    private void member(long team, long user, TeamRole role) {
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, ?)").params(team, user, role.name()).update();
    }
}
