package io.hawser.agent.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** A container id: 64 lower-case hex digits, 32 random bytes as dockerd makes them (stringid.GenerateRandomID). */
public record ContainerId(String value) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ContainerId {
        Objects.requireNonNull(value, "value");
        if (!HEX64.matcher(value).matches()) {
            throw new IllegalArgumentException("not a container id: " + value);
        }
    }

    /**
     * A fresh random id. As dockerd, one whose 12-digit short form is all decimal digits is drawn again: the
     * short id could then be mistaken for a number (stringid.GenerateRandomID).
     */
    public static ContainerId random() {
        while (true) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String hex = HexFormat.of().formatHex(bytes);
            if (!hex.substring(0, 12).chars().allMatch(Character::isDigit)) {
                return new ContainerId(hex);
            }
        }
    }

    public static boolean isValid(String value) {
        return value != null && HEX64.matcher(value).matches();
    }

    /** The 12-digit form the CLI shows and the default hostname. */
    public String shortId() {
        return value.substring(0, 12);
    }

    @Override
    public String toString() {
        return value;
    }
}
