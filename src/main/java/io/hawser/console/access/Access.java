package io.hawser.console.access;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * The one place that decides who may do what on which host or team. A global administrator (the ADMIN role in
 * {@code user_roles}) may do everything; anyone else acts on a host through the teams that own it, with the
 * permissions the {@code role_permissions} table gives their role in that team (several teams: the union). An API
 * token narrowed to a role caps every team role of its user at that role, and a narrowed administrator acts on every
 * host with the narrowed role only.
 *
 * <p>Services call {@link #require} before they read or change anything of a host, and filter lists with
 * {@link #hostsWhere}; views call {@link #may} only to hide what the server would refuse anyway. Nothing here
 * audits: the service that refuses records the refusal with its own action name.
 */
@Service
public class Access {

    /** Authority prefix a narrowed API token adds, e.g. {@code CEILING_VIEWER}. */
    public static final String CEILING_PREFIX = "CEILING_";
    static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

    /**
     * Host ids on which the caller's effective team role has the permission. {@code LEAST} applies a token's
     * ceiling; a disabled user has no rights even within a session that outlived the change.
     */
    private static final String TEAM_HOSTS = """
            SELECT ht.host_id FROM host_teams ht
            JOIN team_members m ON m.team_id = ht.team_id
            JOIN users u ON u.id = m.user_id AND u.enabled
            JOIN roles r ON r.name = m.role
            JOIN roles eff ON eff.team_rank = LEAST(r.team_rank, :TAG_ceiling)
            JOIN role_permissions rp ON rp.role = eff.name AND rp.permission = :TAG_perm
            WHERE u.username = :TAG_user""";

    /** Team ids in which the caller's effective role has the permission. */
    private static final String TEAMS = """
            SELECT m.team_id FROM team_members m
            JOIN users u ON u.id = m.user_id AND u.enabled
            JOIN roles r ON r.name = m.role
            JOIN roles eff ON eff.team_rank = LEAST(r.team_rank, :TAG_ceiling)
            JOIN role_permissions rp ON rp.role = eff.name AND rp.permission = :TAG_perm
            WHERE u.username = :TAG_user""";

    private final JdbcClient jdbc;

    Access(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The signed-in caller of this thread. */
    public Caller caller() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (who == null || !who.isAuthenticated()) {
            throw new AuthenticationCredentialsNotFoundException("not signed in");
        }
        boolean admin = false;
        Optional<TeamRole> ceiling = Optional.empty();
        for (GrantedAuthority a : who.getAuthorities()) {
            String name = a.getAuthority();
            if (ADMIN_AUTHORITY.equals(name)) {
                admin = true;
            } else if (name != null && name.startsWith(CEILING_PREFIX)) {
                Optional<TeamRole> role = TeamRole.parse(name.substring(CEILING_PREFIX.length()));
                // An unknown ceiling narrows to the weakest role rather than to none.
                TeamRole narrowed = role.orElse(TeamRole.VIEWER);
                ceiling = Optional.of(ceiling.filter(c -> c.compareTo(narrowed) < 0).orElse(narrowed));
            }
        }
        return new Caller(who.getName(), admin, ceiling);
    }

    /** Whether the caller is a global administrator acting with full rights (not through a narrowed token). */
    public boolean isGlobalAdmin() {
        return caller().unrestrictedAdmin();
    }

    /** @throws AccessDeniedException unless the caller is a global administrator with full rights */
    public void requireGlobalAdmin() {
        if (!isGlobalAdmin()) {
            throw new AccessDeniedException("only an administrator may do this");
        }
    }

    /**
     * A condition true for rows whose host (the column {@code hostIdColumn}) the caller has {@code permission} on.
     * Its parameters are named {@code acc_*}.
     */
    public SqlCondition hostsWhere(String hostIdColumn, Permission permission) {
        return condition(TEAM_HOSTS, hostIdColumn, caller(), permission, "acc");
    }

    /** A condition true for rows whose team (the column {@code teamIdColumn}) the caller has {@code permission} in. */
    public SqlCondition teamsWhere(String teamIdColumn, Permission permission) {
        return condition(TEAMS, teamIdColumn, caller(), permission, "acc");
    }

    /** The caller's standing on one host for one permission. */
    public Decision decide(UUID hostId, Permission permission) {
        return decide(caller(), hostId, permission);
    }

    /** As {@link #decide(UUID, Permission)}, for a caller captured earlier (work done on another thread). */
    public Decision decide(Caller c, UUID hostId, Permission permission) {
        SqlCondition view = condition(TEAM_HOSTS, "h.id", c, Permission.HOST_VIEW, "accv");
        SqlCondition act = condition(TEAM_HOSTS, "h.id", c, permission, "acca");
        Map<String, Object> params = new HashMap<>(view.params());
        params.putAll(act.params());
        params.put("acc_host", hostId);
        return jdbc.sql("SELECT " + view.sql() + ", " + act.sql() + " FROM hosts h WHERE h.id = :acc_host").params(params)
                .query((rs, n) -> !rs.getBoolean(1) ? Decision.HIDDEN : rs.getBoolean(2) ? Decision.ALLOWED : Decision.DENIED)
                .optional().orElse(Decision.HIDDEN);
    }

    /** Whether the caller may act so on the host; for views deciding what to show. */
    public boolean may(UUID hostId, Permission permission) {
        return decide(hostId, permission) == Decision.ALLOWED;
    }

    /**
     * @throws NotVisibleException (404) when the host does not exist or the caller may not see it
     * @throws AccessDeniedException (403) when the caller sees the host but lacks the permission
     */
    public void require(UUID hostId, Permission permission) {
        switch (decide(hostId, permission)) {
            case HIDDEN -> throw new NotVisibleException("No such host: " + hostId);
            case DENIED -> throw new AccessDeniedException("not allowed: your role on this host may not "
                    + describe(permission));
            case ALLOWED -> { }
        }
    }

    /** Whether the caller has {@code permission} in team {@code teamId}. */
    public boolean mayInTeam(long teamId, Permission permission) {
        SqlCondition c = teamsWhere("t.id", permission);
        return jdbc.sql("SELECT " + c.sql() + " FROM teams t WHERE t.id = :acc_team").params(c.params())
                .param("acc_team", teamId).query(Boolean.class).optional().orElse(false);
    }

    /** @throws AccessDeniedException unless the caller has {@code permission} in team {@code teamId} */
    public void requireInTeam(long teamId, Permission permission) {
        if (!mayInTeam(teamId, permission)) {
            throw new AccessDeniedException("not allowed: your role in this team may not " + describe(permission));
        }
    }

    /** {@code query} selects the ids (of hosts or teams) on which the permission holds; {@code tag} names the parameters. */
    private SqlCondition condition(String query, String column, Caller c, Permission permission, String tag) {
        boolean all = c.unrestrictedAdmin() || c.globalAdmin() && ceilingAllows(c.ceiling().orElseThrow(), permission);
        return new SqlCondition("(:" + tag + "_all OR " + column + " IN (" + query.replace(":TAG_", ":" + tag + "_") + "))",
                Map.of(tag + "_all", all, tag + "_user", c.username(), tag + "_ceiling", c.ceilingRank(),
                        tag + "_perm", permission.name()));
    }

    private boolean ceilingAllows(TeamRole ceiling, Permission permission) {
        return jdbc.sql("SELECT count(*) FROM role_permissions WHERE role = ? AND permission = ?")
                .params(ceiling.name(), permission.name()).query(Long.class).single() > 0;
    }

    static String describe(Permission p) {
        return switch (p) {
            case HOST_VIEW -> "see it";
            case CONTAINER_CONTROL -> "start, stop, run or remove containers";
            case CONTAINER_EXEC -> "open a terminal";
            case IMAGE_MANAGE -> "change images";
            case HOST_ENROLL -> "enroll hosts";
            case TEAM_MANAGE -> "manage members";
        } + " (" + p.name().toLowerCase(Locale.ROOT) + ")";
    }

    /** A caller's standing on a host. */
    public enum Decision {
        /** Has the permission. */
        ALLOWED,
        /** Sees the host but lacks the permission: 403. */
        DENIED,
        /** No such host, or not the caller's to see: 404. */
        HIDDEN
    }
}
