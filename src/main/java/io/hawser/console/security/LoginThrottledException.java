package io.hawser.console.security;

import java.time.Duration;
import java.time.Instant;
import org.springframework.security.core.AuthenticationException;

/** A sign-in refused because too many tries in a row failed for this user or from this address. */
public class LoginThrottledException extends AuthenticationException {

    public LoginThrottledException(Instant until) {
        super("Too many failed sign-ins in a row. Try again in " + describe(Duration.between(Instant.now(), until)) + ".");
    }

    private static String describe(Duration left) {
        long minutes = (left.getSeconds() + 59) / 60;
        return minutes <= 1 ? "a minute" : minutes + " minutes";
    }
}
