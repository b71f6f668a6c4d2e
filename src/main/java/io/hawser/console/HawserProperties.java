package io.hawser.console;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code hawser.*}.
 *
 * @param dataDir where the console keeps its state (the embedded PostgreSQL's data among it); the default,
 *                {@code ~/.hawser}, is in application.properties since placeholders do not resolve in defaults here
 * @param adminPassword password for the first {@code admin} account; when empty a random one is generated
 *                      and printed once. Usually given as {@code HAWSER_ADMIN_PASSWORD}.
 * @param loginThrottle how failed sign-ins are throttled
 */
@ConfigurationProperties(prefix = "hawser")
public record HawserProperties(
        Path dataDir,
        String adminPassword,
        @DefaultValue LoginThrottle loginThrottle) {

    /**
     * @param maxFailures failed sign-ins in a row (per user name and per client address) before further tries are refused
     * @param lockout how long further tries are refused once the limit is reached
     */
    public HawserProperties {
        if (dataDir == null) {
            throw new IllegalArgumentException("hawser.data-dir is not set");
        }
    }

    public record LoginThrottle(
            @DefaultValue("5") int maxFailures,
            @DefaultValue("15m") Duration lockout) {

        public LoginThrottle {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("hawser.login-throttle.max-failures must be at least 1, got " + maxFailures);
            }
            if (lockout.isNegative() || lockout.isZero()) {
                throw new IllegalArgumentException("hawser.login-throttle.lockout must be positive, got " + lockout);
            }
        }
    }
}
