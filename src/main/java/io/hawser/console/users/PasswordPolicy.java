package io.hawser.console.users;

import java.util.Locale;
import java.util.Set;

/**
 * What a password must be (NIST SP 800-63B, 5.1.1.2: length, and not a known-bad or context-specific value; no
 * composition rules): 12 to 128 characters, not the user name, not one of the commonly used passwords below.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    /** Common passwords of the allowed length (from the lists breach corpora keep topping), compared case-insensitively. */
    private static final Set<String> COMMON = Set.of("password1234", "password12345", "password123456", "123456789012",
            "1234567890123", "12345678901234", "qwertyuiop12", "qwerty123456", "qwertyuiopas", "1q2w3e4r5t6y",
            "1qaz2wsx3edc", "passwordpassword", "iloveyou1234", "administrator", "administrator1", "changeme1234",
            "welcome12345", "letmein12345", "adminadmin12", "admin1234567", "abc123456789", "aaaaaaaaaaaa",
            "111111111111", "000000000000", "trustno1trustno1", "football1234", "baseball1234", "superman1234",
            "p@ssw0rd1234", "passw0rd1234", "monkey123456", "dragon123456", "sunshine1234", "princess1234",
            "starwars1234", "hawserhawser", "hawser123456", "dockerdocker", "docker123456");

    private PasswordPolicy() {
    }

    /** @throws IllegalArgumentException saying what is wrong, never echoing the password */
    public static void check(String username, String rawPassword) {
        if (rawPassword == null || rawPassword.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a password needs at least " + MIN_LENGTH + " characters");
        }
        if (rawPassword.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a password has at most " + MAX_LENGTH + " characters");
        }
        String folded = rawPassword.strip().toLowerCase(Locale.ROOT);
        if (username != null && folded.equals(username.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("a password may not be the user name");
        }
        if (COMMON.contains(folded) || folded.chars().distinct().count() == 1) {
            throw new IllegalArgumentException("this password is too common; choose another");
        }
    }
}
