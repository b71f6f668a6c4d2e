package io.hawser.console.hosts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Join tokens and host credentials: 256 random bits, written as unpadded base64url (43 characters), stored only as
 * the SHA-256 of that text. A hash without a salt or a slow function is enough here: the secrets are random and as
 * long as the hash, so there is nothing to guess from a leaked hash (unlike a password).
 */
public final class HostSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private HostSecrets() {}

    /** A fresh secret: 32 bytes from SecureRandom, base64url without padding. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Compares in constant time, so the answer's timing says nothing about how much of a guess was right. */
    public static boolean matches(String secret, byte[] storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash(secret), storedHash);
    }
}
