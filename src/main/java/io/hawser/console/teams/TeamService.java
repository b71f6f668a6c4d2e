package io.hawser.console.teams;

import io.hawser.console.access.Access;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.access.Permission;
import io.hawser.console.access.SqlCondition;
import io.hawser.console.access.TeamRole;
import io.hawser.console.audit.AuditLog;
import io.hawser.console.users.Username;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Teams, their members and their hosts. A global administrator creates, renames and deletes teams and assigns hosts
 * to them; a team's TEAM_ADMIN (TEAM_MANAGE in role_permissions) manages its members; any member sees the team.
 * Someone not in a team learns nothing of it (404), a member without the right is refused (403): {@link Access}
 * decides, and every change and every refusal is audited once.
 */
@Service
public class TeamService {

    private final JdbcClient jdbc;
    private final Access access;
    private final AuditLog audit;

    TeamService(JdbcClient jdbc, Access access, AuditLog audit) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
    }

    /** The teams the caller is in (every team, for a global administrator). */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<Team> visibleTeams() {
        SqlCondition visible = access.teamsWhere("t.id", Permission.HOST_VIEW);
        return jdbc.sql("""
                        SELECT t.id, t.name, t.description,
                               (SELECT count(*) FROM team_members m WHERE m.team_id = t.id) AS members,
                               (SELECT count(*) FROM host_teams h WHERE h.team_id = t.id) AS hosts
                        FROM teams t WHERE %s ORDER BY t.name""".formatted(visible.sql()))
                .params(visible.params())
                .query((rs, n) -> new Team(rs.getLong("id"), rs.getString("name"), rs.getString("description"),
                        rs.getInt("members"), rs.getInt("hosts")))
                .list();
    }

    /** Teams in which the caller has {@code permission} (for views: which teams may I manage, enroll into). */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<Team> teamsWhereCallerMay(Permission permission) {
        return visibleTeams().stream().filter(t -> access.mayInTeam(t.id(), permission)).toList();
    }

    @Transactional
    @PreAuthorize("isAuthenticated()")
    public long create(String name, String description) {
        String n = name(name);
        requireAdmin("team.create", "team:" + n);
        if (jdbc.sql("SELECT count(*) FROM teams WHERE name = ?").param(n).query(Long.class).single() > 0) {
            throw new IllegalArgumentException("a team named '" + n + "' exists already");
        }
        long id = jdbc.sql("INSERT INTO teams (name, description) VALUES (?, ?) RETURNING id").params(n, blankToNull(description))
                .query(Long.class).single();
        audit.record(access.caller().username(), "team.create", target(id), "name=" + n);
        return id;
    }

    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void update(long teamId, String name, String description) {
        String n = name(name);
        requireAdmin("team.update", target(teamId));
        String old = nameOf(teamId);
        if (jdbc.sql("SELECT count(*) FROM teams WHERE name = ? AND id <> ?").params(n, teamId).query(Long.class).single() > 0) {
            throw new IllegalArgumentException("a team named '" + n + "' exists already");
        }
        jdbc.sql("UPDATE teams SET name = ?, description = ? WHERE id = ?").params(n, blankToNull(description), teamId).update();
        audit.record(access.caller().username(), "team.update", target(teamId), "name=" + old + " -> " + n);
    }

    /** Deletes a team; its hosts stay (owned by their other teams, or by none: then only administrators see them). */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void delete(long teamId) {
        requireAdmin("team.delete", target(teamId));
        String name = nameOf(teamId);
        jdbc.sql("DELETE FROM teams WHERE id = ?").param(teamId).update();
        audit.record(access.caller().username(), "team.delete", target(teamId), "name=" + name);
    }

    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<TeamMember> members(long teamId) {
        requireInTeam(teamId, Permission.HOST_VIEW, null);
        return jdbc.sql("""
                        SELECT u.username, m.role FROM team_members m JOIN users u ON u.id = m.user_id
                        WHERE m.team_id = ? ORDER BY u.username""")
                .param(teamId)
                .query((rs, n) -> new TeamMember(rs.getString(1), TeamRole.valueOf(rs.getString(2))))
                .list();
    }

    /** Adds a member or changes their role. */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void setMember(long teamId, Username user, TeamRole role) {
        requireInTeam(teamId, Permission.TEAM_MANAGE, "team.member.set");
        long userId = userId(user);
        Optional<String> old = jdbc.sql("SELECT role FROM team_members WHERE team_id = ? AND user_id = ?").params(teamId, userId)
                .query(String.class).optional();
        if (old.isPresent() && old.get().equals(role.name())) {
            return; // nothing changes, nothing to audit
        }
        jdbc.sql("""
                        INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, ?)
                        ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role""")
                .params(teamId, userId, role.name()).update();
        audit.record(access.caller().username(), "team.member.set", target(teamId),
                "user=" + user + " role=" + old.map(o -> o + " -> ").orElse("") + role.name());
    }

    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void removeMember(long teamId, Username user) {
        requireInTeam(teamId, Permission.TEAM_MANAGE, "team.member.remove");
        long userId = userId(user);
        if (jdbc.sql("DELETE FROM team_members WHERE team_id = ? AND user_id = ?").params(teamId, userId).update() == 0) {
            throw new IllegalArgumentException(user + " is not a member of this team");
        }
        audit.record(access.caller().username(), "team.member.remove", target(teamId), "user=" + user);
    }

    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<TeamHost> hosts(long teamId) {
        requireInTeam(teamId, Permission.HOST_VIEW, null);
        return jdbc.sql("""
                        SELECT h.id, h.name FROM host_teams ht JOIN hosts h ON h.id = ht.host_id
                        WHERE ht.team_id = ? ORDER BY h.name""")
                .param(teamId)
                .query((rs, n) -> new TeamHost(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();
    }

    /** Makes the team an owner of the host (global administrators only). */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void assignHost(long teamId, UUID hostId) {
        requireAdmin("team.host.add", target(teamId));
        nameOf(teamId);
        String host = hostName(hostId);
        if (jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?) ON CONFLICT DO NOTHING").params(hostId, teamId)
                .update() > 0) {
            audit.record(access.caller().username(), "team.host.add", target(teamId), "host=" + host + " id=" + hostId);
        }
    }

    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void unassignHost(long teamId, UUID hostId) {
        requireAdmin("team.host.remove", target(teamId));
        nameOf(teamId);
        String host = hostName(hostId);
        if (jdbc.sql("DELETE FROM host_teams WHERE host_id = ? AND team_id = ?").params(hostId, teamId).update() > 0) {
            audit.record(access.caller().username(), "team.host.remove", target(teamId), "host=" + host + " id=" + hostId);
        }
    }

    /**
     * 404 when the team does not exist or the caller is not in it, 403 when they are but lack the permission; a
     * refusal of a change ({@code action} not null) is audited.
     */
    private void requireInTeam(long teamId, Permission permission, String action) {
        RuntimeException refusal = null;
        if (!access.mayInTeam(teamId, Permission.HOST_VIEW)) {
            refusal = new NotVisibleException("No such team: " + teamId);
        } else if (!access.mayInTeam(teamId, permission)) {
            refusal = new AccessDeniedException("not allowed: your role in this team may not manage its members");
        }
        if (refusal != null) {
            if (action != null) {
                audit.recordAlone(access.caller().username(), null, action, target(teamId), refusal.getMessage(),
                        AuditLog.Result.DENIED);
            }
            throw refusal;
        }
    }

    private void requireAdmin(String action, String target) {
        try {
            access.requireGlobalAdmin();
        } catch (AccessDeniedException e) {
            audit.recordAlone(access.caller().username(), null, action, target, e.getMessage(), AuditLog.Result.DENIED);
            throw e;
        }
    }

    private String nameOf(long teamId) {
        return jdbc.sql("SELECT name FROM teams WHERE id = ?").param(teamId).query(String.class).optional()
                .orElseThrow(() -> new NotVisibleException("No such team: " + teamId));
    }

    private String hostName(UUID hostId) {
        return jdbc.sql("SELECT name FROM hosts WHERE id = ?").param(hostId).query(String.class).optional()
                .orElseThrow(() -> new NotVisibleException("No such host: " + hostId));
    }

    private long userId(Username user) {
        return jdbc.sql("SELECT id FROM users WHERE username = ?").param(user.value()).query(Long.class).optional()
                .orElseThrow(() -> new IllegalArgumentException("no user named '" + user + "'"));
    }

    private static String name(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > 64) {
            throw new IllegalArgumentException("a team name has 1 to 64 characters");
        }
        return n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static String target(long teamId) {
        return "team:" + teamId;
    }
}
