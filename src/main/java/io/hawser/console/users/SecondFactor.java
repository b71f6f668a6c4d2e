package io.hawser.console.users;

import io.hawser.console.access.Access;
import io.hawser.console.audit.AuditLog;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The optional second sign-in factor (TOTP, {@link Totp}), meant for administrators and open to every user: a user
 * sets it up from their account (the secret and {@code otpauth://} URI shown once, then confirmed with a code),
 * and turns it off with a code; a global administrator resets it for someone who lost their device. With it on,
 * the sign-in asks for a code after the password (io.hawser.console.security), HTTP basic is refused for the
 * account (scripts use API tokens), and a code is accepted once only. How the secret is stored: {@link TotpSecrets}.
 */
@Service
public class SecondFactor {

    /** What the user copies into their authenticator app. */
    public record Enrolment(String secret, String uri) {
    }

    private final JdbcClient jdbc;
    private final Access access;
    private final AuditLog audit;
    private final Clock clock;
    private final TotpSecrets secrets;

    SecondFactor(JdbcClient jdbc, Access access, AuditLog audit, Clock clock, @Value("${hawser.totp.key:}") String key) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.secrets = new TotpSecrets(key);
    }

    /** Whether the user signs in with a second factor. */
    @Transactional(readOnly = true)
    public boolean enabled(String username) {
        return jdbc.sql("SELECT totp_enabled FROM users WHERE username = ?").param(username).query(Boolean.class)
                .optional().orElse(false);
    }

    /** Starts setting up the caller's second factor: a new secret, not yet in force. */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public Enrolment begin() {
        String me = signedIn();
        if (enabled(me)) {
            throw new IllegalArgumentException("your second factor is on already; turn it off first to set up another");
        }
        String secret = Totp.newSecret();
        jdbc.sql("UPDATE users SET totp_secret = ?, totp_last_step = NULL WHERE username = ?").params(secrets.seal(secret), me).update();
        return new Enrolment(secret, Totp.uri("Hawser", me, secret));
    }

    /** Puts the secret from {@link #begin} in force once the user shows a code made from it. */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void confirm(String code) {
        String me = signedIn();
        if (enabled(me) || secret(me).isEmpty()) {
            throw new IllegalArgumentException("set up the second factor first");
        }
        if (!accept(me, code)) {
            throw new IllegalArgumentException("that code is not right; check the device's clock and try the next one");
        }
        jdbc.sql("UPDATE users SET totp_enabled = true WHERE username = ?").param(me).update();
        audit.record(me, "user.totp.enable", "user:" + me, null);
    }

    /** Turns the caller's second factor off; a current code is required. */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void disableOwn(String code) {
        String me = signedIn();
        if (!enabled(me)) {
            throw new IllegalArgumentException("your second factor is off");
        }
        if (!accept(me, code)) {
            throw new IllegalArgumentException("that code is not right");
        }
        clear(me);
        audit.record(me, "user.totp.disable", "user:" + me, null);
    }

    /** Turns a user's second factor off (a global administrator, for someone who lost their device). */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void reset(Username user) {
        try {
            access.requireGlobalAdmin();
        } catch (AccessDeniedException e) {
            audit.recordAlone(access.caller().username(), null, "user.totp.reset", "user:" + user, e.getMessage(),
                    AuditLog.Result.DENIED);
            throw e;
        }
        if (clear(user.value()) == 0) {
            throw new IllegalArgumentException("no user named '" + user + "'");
        }
        audit.record(access.caller().username(), "user.totp.reset", "user:" + user, null);
    }

    /**
     * The sign-in step: whether {@code code} is the user's current code, not used before. Not authorised here (the
     * password step was); the result is audited as {@code login.totp}.
     */
    @Transactional
    public boolean verify(String username, String address, String code) {
        boolean ok = enabled(username) && accept(username, code);
        audit.recordAlone(username, address, "login.totp", null, ok ? null : "wrong or reused code",
                ok ? AuditLog.Result.OK : AuditLog.Result.FAILED);
        return ok;
    }

    /** Whether the code matches (within a step of now) and its step is later than any accepted before; records it. */
    private boolean accept(String username, String code) {
        Optional<String> secret = secret(username);
        if (secret.isEmpty()) {
            return false;
        }
        long step = Totp.matchingStep(secret.get(), code, Totp.step(clock.instant().getEpochSecond()));
        return step >= 0 && jdbc.sql("""
                        UPDATE users SET totp_last_step = ? WHERE username = ? AND (totp_last_step IS NULL OR totp_last_step < ?)""")
                .params(step, username, step).update() == 1;
    }

    private Optional<String> secret(String username) {
        return jdbc.sql("SELECT totp_secret FROM users WHERE username = ?").param(username).query(String.class).optional()
                .filter(s -> s != null).map(secrets::open);
    }

    private int clear(String username) {
        return jdbc.sql("UPDATE users SET totp_secret = NULL, totp_enabled = false, totp_last_step = NULL WHERE username = ?")
                .param(username).update();
    }

    private String signedIn() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof ApiTokenAuthentication) {
            throw new AccessDeniedException("a second factor is set up by a signed-in user, not with an API token");
        }
        return access.caller().username();
    }
}
