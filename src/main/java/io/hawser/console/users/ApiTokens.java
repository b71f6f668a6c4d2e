package io.hawser.console.users;

import io.hawser.console.access.Access;
import io.hawser.console.access.TeamRole;
import io.hawser.console.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens for scripts: a user creates named tokens with an expiry and optionally a narrower team role; the
 * secret ({@code hwt_} and 256 random bits in base64url) is shown once and stored only as its SHA-256, which is
 * enough for a random secret as long as the hash (nothing to guess from it, unlike a password). Creation and
 * revocation are audited; a token's use is recorded as its {@code last_used_at} (to the minute, so a busy script
 * does not write on every request), and what a request changes is audited by the service that changes it, with
 * the actor {@code user (token name)}.
 *
 * <p>Only a signed-in user manages tokens (a token cannot make or revoke tokens); a user sees and revokes their
 * own, a global administrator anyone's.
 */
@Service
public class ApiTokens {

    public static final String PREFIX = "hwt_";
    public static final Duration MAX_VALIDITY = Duration.ofDays(366);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Access access;
    private final AuditLog audit;
    private final Clock clock;

    ApiTokens(JdbcClient jdbc, Access access, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Creates a token for the caller.
     *
     * @param ceiling the team role the token may act with at most; empty for all of the caller's rights
     * @throws IllegalArgumentException for a bad name, a name in use, or a validity out of range
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public NewApiToken create(String name, Duration validity, Optional<TeamRole> ceiling) {
        String me = signedInUser("token.create");
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("a token name has 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (validity == null || validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("a token is valid for up to " + MAX_VALIDITY.toDays() + " days");
        }
        long userId = jdbc.sql("SELECT id FROM users WHERE username = ?").param(me).query(Long.class).single();
        if (jdbc.sql("SELECT count(*) FROM api_tokens WHERE user_id = ? AND name = ? AND revoked_at IS NULL")
                .params(userId, n).query(Long.class).single() > 0) {
            throw new IllegalArgumentException("you have a token named '" + n + "' already");
        }
        String secret = PREFIX + random();
        Instant expiresAt = clock.instant().plus(validity);
        long id = jdbc.sql("""
                        INSERT INTO api_tokens (user_id, name, token_hash, ceiling, expires_at) VALUES (?, ?, ?, ?, ?)
                        RETURNING id""")
                .params(userId, n, hash(secret), ceiling.map(Enum::name).orElse(null), expiresAt.atOffset(ZoneOffset.UTC))
                .query(Long.class).single();
        audit.record(me, "token.create", "token:" + id, "name=" + n + " role=" + ceiling.map(Enum::name).orElse("all")
                + " expiresAt=" + expiresAt);
        return new NewApiToken(byId(id).orElseThrow(), secret);
    }

    /** The caller's own tokens, revoked and expired ones included, newest first. */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<ApiToken> mine() {
        return jdbc.sql(SELECT + " WHERE u.username = ? ORDER BY t.id DESC").param(access.caller().username())
                .query(ApiTokens::row).list();
    }

    /** Every user's tokens; global administrators only. */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<ApiToken> all() {
        access.requireGlobalAdmin();
        return jdbc.sql(SELECT + " ORDER BY t.id DESC").query(ApiTokens::row).list();
    }

    /**
     * Revokes a token of the caller's (or anyone's, for a global administrator); revoking a revoked token changes
     * nothing and is not audited again.
     *
     * @throws io.hawser.console.access.NotVisibleException when there is no such token of the caller's
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void revoke(long tokenId) {
        String me = signedInUser("token.revoke");
        Optional<ApiToken> token = byId(tokenId);
        if (token.isEmpty() || !token.get().username().equals(me) && !access.isGlobalAdmin()) {
            audit.recordAlone(me, null, "token.revoke", "token:" + tokenId, "no such token of the caller's",
                    AuditLog.Result.DENIED);
            throw new io.hawser.console.access.NotVisibleException("No such token: " + tokenId);
        }
        if (jdbc.sql("UPDATE api_tokens SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL").param(tokenId).update() > 0) {
            audit.record(me, "token.revoke", "token:" + tokenId, "name=" + token.get().name() + " user=" + token.get().username());
        }
    }

    /**
     * The authentication a bearer secret stands for. Not authorised here: the secret is the authorisation.
     *
     * @throws BadCredentialsException for an unknown, revoked or expired token, or one whose user is disabled
     */
    @Transactional
    public ApiTokenAuthentication authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            throw new BadCredentialsException("unknown API token");
        }
        record Row(long id, String name, String username, boolean enabled, String ceiling, Instant expiresAt,
                   boolean revoked, long userId) {}
        Row row = jdbc.sql("""
                        SELECT t.id, t.name, u.username, u.enabled, t.ceiling, t.expires_at, t.revoked_at IS NOT NULL, u.id
                        FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?""")
                .param(hash(secret))
                .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getBoolean(7), rs.getLong(8)))
                .optional().orElseThrow(() -> new BadCredentialsException("unknown API token"));
        if (row.revoked()) {
            throw new BadCredentialsException("API token " + row.name() + " of " + row.username() + " is revoked");
        }
        if (!clock.instant().isBefore(row.expiresAt())) {
            throw new BadCredentialsException("API token " + row.name() + " of " + row.username() + " expired");
        }
        if (!row.enabled()) {
            throw new BadCredentialsException("user " + row.username() + " is disabled");
        }
        jdbc.sql("UPDATE api_tokens SET last_used_at = now() WHERE id = ? "
                + "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')").param(row.id()).update();
        List<GrantedAuthority> authorities = new ArrayList<>();
        Optional<TeamRole> ceiling = TeamRole.parse(row.ceiling());
        for (String role : jdbc.sql("SELECT role FROM user_roles WHERE user_id = ?").param(row.userId()).query(String.class).list()) {
            String authority = Role.valueOf(role).authority();
            // A narrowed token acts with the narrowed role only: no global administrator rights, anywhere.
            if (ceiling.isEmpty() || !authority.equals(Role.ADMIN.authority())) {
                authorities.add(new SimpleGrantedAuthority(authority));
            }
        }
        ceiling.ifPresent(c -> authorities.add(new SimpleGrantedAuthority(c.ceilingAuthority())));
        return new ApiTokenAuthentication(row.username(), row.id(), row.name(), authorities);
    }

    private String signedInUser(String action) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (who instanceof ApiTokenAuthentication) {
            audit.recordAlone(who.getName(), null, action, null, "with an API token", AuditLog.Result.DENIED);
            throw new AccessDeniedException("API tokens are managed by a signed-in user, not with a token");
        }
        return access.caller().username();
    }

    private Optional<ApiToken> byId(long id) {
        return jdbc.sql(SELECT + " WHERE t.id = ?").param(id).query(ApiTokens::row).optional();
    }

    private static final String SELECT = """
            SELECT t.id, u.username, t.name, t.ceiling, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
            FROM api_tokens t JOIN users u ON u.id = t.user_id""";

    private static ApiToken row(ResultSet rs, int n) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("username"), rs.getString("name"),
                TeamRole.parse(rs.getString("ceiling")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), instant(rs.getTimestamp("last_used_at")),
                instant(rs.getTimestamp("revoked_at")));
    }

    private static Optional<Instant> instant(Timestamp t) {
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
