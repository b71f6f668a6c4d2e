package io.hawser.console.security;

import io.hawser.console.HawserProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts failed sign-ins in a row per user name and per client address. Once either reaches
 * {@code hawser.login-throttle.max-failures}, further tries for it are refused until the lockout ends, whatever the
 * password. Counts live in PostgreSQL so every console replica enforces the same limit.
 */
@Service
public class LoginThrottle {

    private final JdbcClient jdbc;
    private final HawserProperties.LoginThrottle settings;

    LoginThrottle(JdbcClient jdbc, HawserProperties properties) {
        this.jdbc = jdbc;
        this.settings = properties.loginThrottle();
    }

    /** When the given user or address is locked out, the instant the lockout ends. */
    @Transactional(readOnly = true)
    public Optional<Instant> lockedUntil(String username, String address) {
        return jdbc.sql("""
                        SELECT max(locked_until) FROM login_throttle
                        WHERE key IN (?, ?) AND locked_until > now()""")
                .params(userKey(username), addressKey(address))
                .query(OffsetDateTime.class)
                .optional()
                .map(OffsetDateTime::toInstant);
    }

    @Transactional
    public void recordFailure(String username, String address) {
        fail(userKey(username));
        fail(addressKey(address));
    }

    @Transactional
    public void recordSuccess(String username, String address) {
        jdbc.sql("DELETE FROM login_throttle WHERE key IN (?, ?)").params(userKey(username), addressKey(address)).update();
    }

    public Duration lockout() {
        return settings.lockout();
    }

    private void fail(String key) {
        // A lockout that has ended starts a fresh count; otherwise count on, and lock at the limit.
        jdbc.sql("""
                        INSERT INTO login_throttle AS t (key, failures, locked_until, updated_at)
                        VALUES (:key, 1, CASE WHEN :max <= 1 THEN now() + make_interval(secs => :lockoutSeconds) ELSE NULL END, now())
                        ON CONFLICT (key) DO UPDATE SET
                          failures = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= now() THEN 1
                                          ELSE t.failures + 1 END,
                          locked_until = CASE
                              WHEN t.locked_until IS NOT NULL AND t.locked_until <= now()
                                  THEN CASE WHEN :max <= 1 THEN now() + make_interval(secs => :lockoutSeconds) ELSE NULL END
                              WHEN t.failures + 1 >= :max THEN now() + make_interval(secs => :lockoutSeconds)
                              ELSE t.locked_until END,
                          updated_at = now()""")
                .param("key", key)
                .param("max", settings.maxFailures())
                .param("lockoutSeconds", settings.lockout().toMillis() / 1000.0)
                .update();
    }

    /** Forgets counts nobody has touched for a day, so random user names cannot grow the table without bound. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    @Transactional
    public void prune() {
        jdbc.sql("DELETE FROM login_throttle WHERE updated_at < now() - interval '1 day' "
                + "AND (locked_until IS NULL OR locked_until < now())").update();
    }

    private static String userKey(String username) {
        return "user:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "addr:" + (address == null ? "unknown" : address);
    }
}
