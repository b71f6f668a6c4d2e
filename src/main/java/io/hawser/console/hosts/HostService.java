package io.hawser.console.hosts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.access.Access;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.access.Permission;
import io.hawser.console.access.SqlCondition;
import io.hawser.console.audit.AuditLog;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fleet's hosts. An admin sees every host; anyone else sees the hosts owned by the teams they belong to. Hosts
 * join with a join token an admin created (enrollment) and from then on prove themselves with their own credential;
 * only admins create tokens, rename, label and remove hosts, and each such change is audited.
 */
@Service
public class HostService {

    /** Limits an admin may choose for a join token. */
    public static final Duration MAX_TOKEN_VALIDITY = Duration.ofDays(30);
    public static final int MAX_TOKEN_USES = 1000;
    /** The actor of what the console does by itself. */
    static final String SYSTEM = "system";
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}");

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json = new ObjectMapper();
    private final Access access;

    HostService(JdbcClient jdbc, AuditLog audit, Clock clock, ApplicationEventPublisher events, Access access) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<Host> visibleHosts() {
        SqlCondition visible = access.hostsWhere("h.id", Permission.HOST_VIEW);
        return jdbc.sql("""
                        SELECT h.id, h.name, h.status, h.agent_version, h.last_seen_at, h.hostname, h.kernel_version,
                               h.cgroup_version, h.cpus, h.memory_bytes, h.labels::text AS labels,
                               coalesce((SELECT array_agg(t.name ORDER BY t.name) FROM host_teams ht
                                         JOIN teams t ON t.id = ht.team_id WHERE ht.host_id = h.id), '{}') AS teams,
                               c.running, c.total, c.cpu_percent, c.memory_usage
                        FROM hosts h
                        LEFT JOIN LATERAL (
                            SELECT count(*) FILTER (WHERE state = 'running') AS running, count(*) AS total,
                                   sum(cpu_percent) FILTER (WHERE state = 'running') AS cpu_percent,
                                   (sum(memory_usage) FILTER (WHERE state = 'running'))::bigint AS memory_usage
                            FROM containers WHERE host_id = h.id) c ON true
                        WHERE %s
                        ORDER BY h.name""".formatted(visible.sql()))
                .params(visible.params())
                .query((rs, n) -> {
                    Timestamp lastSeen = rs.getTimestamp("last_seen_at");
                    List<String> teams = List.of((String[]) rs.getArray("teams").getArray());
                    return new Host(rs.getObject("id", UUID.class), rs.getString("name"), teams,
                            HostStatus.valueOf(rs.getString("status")), rs.getString("agent_version"),
                            lastSeen == null ? null : lastSeen.toInstant(), rs.getString("hostname"),
                            rs.getString("kernel_version"), rs.getString("cgroup_version"),
                            rs.getObject("cpus", Integer.class), rs.getObject("memory_bytes", Long.class),
                            rs.getInt("running"), rs.getInt("total"), rs.getObject("cpu_percent", Double.class),
                            rs.getObject("memory_usage", Long.class), parseLabels(rs.getString("labels")));
                })
                .list();
    }

    /**
     * Creates a join token: shown once (in the returned value), stored as its SHA-256 only. Global administrators only.
     *
     * @throws IllegalArgumentException for a validity or number of uses out of range
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public JoinToken createJoinToken(int maxUses, Duration validity) {
        return createJoinToken(maxUses, validity, null);
    }

    /**
     * Creates a join token that enrolls its hosts into team {@code teamId} (null: into no team, for global
     * administrators only). A team's TEAM_ADMIN (HOST_ENROLL in the team) may create tokens for that team.
     *
     * @throws io.hawser.console.access.NotVisibleException (404) for a team the caller is not in
     * @throws org.springframework.security.access.AccessDeniedException (403) without HOST_ENROLL in the team
     * @throws IllegalArgumentException for a validity or number of uses out of range
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public JoinToken createJoinToken(int maxUses, Duration validity, Long teamId) {
        String target = teamId == null ? "join-token" : "team:" + teamId;
        try {
            if (teamId == null) {
                access.requireGlobalAdmin();
            } else if (!access.mayInTeam(teamId, Permission.HOST_VIEW)) {
                throw new io.hawser.console.access.NotVisibleException("No such team: " + teamId);
            } else {
                access.requireInTeam(teamId, Permission.HOST_ENROLL);
            }
        } catch (RuntimeException refused) {
            audit.recordAlone(actor(), null, "host.join-token.create", target, refused.getMessage(), AuditLog.Result.DENIED);
            throw refused;
        }
        if (maxUses < 1 || maxUses > MAX_TOKEN_USES) {
            throw new IllegalArgumentException("a join token allows 1 to " + MAX_TOKEN_USES + " enrollments, not " + maxUses);
        }
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_TOKEN_VALIDITY) > 0) {
            throw new IllegalArgumentException("a join token is valid for up to " + MAX_TOKEN_VALIDITY.toDays() + " days");
        }
        String actor = actor();
        String token = HostSecrets.generate();
        Instant expiresAt = clock.instant().plus(validity);
        long id = jdbc.sql("""
                        INSERT INTO join_tokens (token_hash, created_by, expires_at, max_uses, team_id) VALUES (?, ?, ?, ?, ?)
                        RETURNING id""")
                .params(HostSecrets.hash(token), actor, utc(expiresAt), maxUses, teamId)
                .query(Long.class).single();
        audit.record(actor, "host.join-token.create", "join-token:" + id, "maxUses=" + maxUses + " expiresAt=" + expiresAt
                + (teamId == null ? "" : " team=" + teamId));
        return new JoinToken(token, expiresAt, maxUses);
    }

    /**
     * A join token for the console's own local agent ({@code io.hawser.console.localagent}): one use, valid for
     * ten minutes, audited as actor {@code system}. Not behind any endpoint or view: the console calls it for itself,
     * with no user signed in, and hands the token only to the agent process it starts.
     */
    @Transactional
    public JoinToken createLocalAgentToken() {
        String token = HostSecrets.generate();
        Instant expiresAt = clock.instant().plus(Duration.ofMinutes(10));
        long id = jdbc.sql("INSERT INTO join_tokens (token_hash, created_by, expires_at, max_uses) VALUES (?, ?, ?, 1) RETURNING id")
                .params(HostSecrets.hash(token), SYSTEM, utc(expiresAt))
                .query(Long.class).single();
        audit.record(SYSTEM, "host.join-token.create", "join-token:" + id, "local agent maxUses=1 expiresAt=" + expiresAt);
        return new JoinToken(token, expiresAt, 1);
    }

    /** The host's name and status, for the console's own bookkeeping (no user involved); empty when there is no such host. */
    @Transactional(readOnly = true)
    public Optional<Map.Entry<String, HostStatus>> nameAndStatus(UUID hostId) {
        return jdbc.sql("SELECT name, status FROM hosts WHERE id = ?").param(hostId)
                .query((rs, n) -> Map.entry(rs.getString(1), HostStatus.valueOf(rs.getString(2))))
                .optional();
    }

    /**
     * Enrolls a host with a join token: uses the token once and creates the host with a fresh credential. Not
     * authorised here: the token is the authorisation. Called by the enroll endpoint, which throttles and audits.
     *
     * @throws EnrollmentRefusedException 401 for an unknown token, 403 for an expired or used-up one
     */
    @Transactional
    public Enrollment enroll(String token, String hostname, String agentVersion) {
        if (token == null || token.isBlank()) {
            throw new EnrollmentRefusedException(401, "a join token is required");
        }
        record Row(long id, Instant expiresAt, int maxUses, int uses, Long teamId) {}
        Optional<Row> row = jdbc.sql("SELECT id, expires_at, max_uses, uses, team_id FROM join_tokens WHERE token_hash = ? FOR UPDATE")
                .param(HostSecrets.hash(token.strip()))
                .query((rs, n) -> new Row(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getInt(3), rs.getInt(4),
                        rs.getObject(5, Long.class)))
                .optional();
        if (row.isEmpty()) {
            throw new EnrollmentRefusedException(401, "unknown join token");
        }
        switch (JoinToken.Verdict.of(row.get().expiresAt(), row.get().maxUses(), row.get().uses(), clock.instant())) {
            case EXPIRED -> throw new EnrollmentRefusedException(403, "join token expired");
            case USED_UP -> throw new EnrollmentRefusedException(403, "join token used up");
            case VALID -> { }
        }
        jdbc.sql("UPDATE join_tokens SET uses = uses + 1 WHERE id = ?").param(row.get().id()).update();
        String credential = HostSecrets.generate();
        UUID id = UUID.randomUUID();
        String base = hostName(hostname);
        String name = base;
        // Two hosts may report the same hostname: the second becomes name-2, and so on. An admin can rename either.
        for (int i = 2; jdbc.sql("""
                        INSERT INTO hosts (id, name, hostname, agent_version, credential_hash) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (name) DO NOTHING""")
                .params(id, name, hostname, agentVersion, HostSecrets.hash(credential)).update() == 0; i++) {
            name = base.substring(0, Math.min(base.length(), 240)) + "-" + i;
        }
        if (row.get().teamId() != null) {
            // A token created for a team enrolls its hosts into that team.
            jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(id, row.get().teamId()).update();
        }
        return new Enrollment(id, name, credential);
    }

    /** Whether {@code credential} is the current credential of host {@code hostId}. */
    @Transactional(readOnly = true)
    public boolean credentialValid(UUID hostId, String credential) {
        return jdbc.sql("SELECT credential_hash FROM hosts WHERE id = ?").param(hostId)
                .query((rs, n) -> rs.getBytes(1)).optional()
                .map(hash -> HostSecrets.matches(credential, hash))
                .orElse(false);
    }

    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void rename(UUID hostId, String newName) {
        requireAdminFor(hostId, "host.rename", "name=" + newName);
        String name = newName == null ? "" : newName.strip();
        if (name.isEmpty() || name.length() > 253) {
            throw new IllegalArgumentException("a host name has 1 to 253 characters");
        }
        String old = nameOf(hostId);
        if (jdbc.sql("SELECT count(*) FROM hosts WHERE name = ? AND id <> ?").params(name, hostId).query(Long.class).single() > 0) {
            throw new IllegalArgumentException("a host named '" + name + "' exists already");
        }
        jdbc.sql("UPDATE hosts SET name = ? WHERE id = ?").params(name, hostId).update();
        audit.record(actor(), "host.rename", "host:" + hostId, old + " -> " + name);
    }

    /** Replaces the host's labels (key: letters, digits, {@code . _ / -}; value: up to 256 characters). */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void setLabels(UUID hostId, Map<String, String> labels) {
        requireAdminFor(hostId, "host.labels", "labels=" + labels.keySet());
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!LABEL_KEY.matcher(e.getKey()).matches() || e.getValue() == null || e.getValue().length() > 256) {
                throw new IllegalArgumentException("invalid label " + e.getKey() + "=" + e.getValue());
            }
        }
        nameOf(hostId);
        String text;
        try {
            text = json.writeValueAsString(new TreeMap<>(labels));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.sql("UPDATE hosts SET labels = ?::jsonb WHERE id = ?").params(text, hostId).update();
        audit.record(actor(), "host.labels", "host:" + hostId, text);
    }

    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public Map<String, String> labels(UUID hostId) {
        access.require(hostId, Permission.HOST_VIEW);
        String text = jdbc.sql("SELECT labels::text FROM hosts WHERE id = ?").param(hostId).query(String.class).optional()
                .orElseThrow(() -> new NotVisibleException("No such host: " + hostId));
        return parseLabels(text);
    }

    private Map<String, String> parseLabels(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Removes a host with its inventory and events; its credential goes with it, and its link (if any) is closed
     * once this commits.
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void remove(UUID hostId) {
        requireAdminFor(hostId, "host.remove", null);
        String name = nameOf(hostId);
        jdbc.sql("DELETE FROM hosts WHERE id = ?").param(hostId).update();
        audit.record(actor(), "host.remove", "host:" + hostId, name);
        events.publishEvent(new HostRemovedEvent(hostId));
    }

    /**
     * Only a global administrator changes a host. Anyone else is refused, and the refusal audited: 404 for a host they
     * may not see (its existence is not theirs to learn), 403 for one of their teams'.
     */
    private void requireAdminFor(UUID hostId, String action, String details) {
        if (access.isGlobalAdmin()) {
            return;
        }
        RuntimeException refused = access.decide(hostId, Permission.HOST_VIEW) == io.hawser.console.access.Access.Decision.HIDDEN
                ? new NotVisibleException("No such host: " + hostId)
                : new org.springframework.security.access.AccessDeniedException("only an administrator may do this");
        audit.recordAlone(actor(), null, action, "host:" + hostId,
                (details == null ? "" : details + ": ") + refused.getMessage(), AuditLog.Result.DENIED);
        throw refused;
    }

    private String nameOf(UUID hostId) {
        return jdbc.sql("SELECT name FROM hosts WHERE id = ?").param(hostId).query(String.class).optional()
                .orElseThrow(() -> new NotVisibleException("No such host: " + hostId));
    }

    static String hostName(String hostname) {
        String name = hostname == null ? "" : hostname.strip();
        if (name.length() > 240) {
            name = name.substring(0, 240);
        }
        return name.isEmpty() ? "host" : name;
    }

    private static String actor() {
        return SecurityContextHolder.getContext().getAuthentication().getName();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
