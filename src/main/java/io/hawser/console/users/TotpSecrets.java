package io.hawser.console.users;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a TOTP secret is kept in {@code users.totp_secret}. With a key ({@code hawser.totp.key}: 16 or 32 random
 * bytes in base64) it is AES-GCM encrypted ({@code aes:} + base64 of a 12-byte nonce and the ciphertext), so a
 * database dump alone does not give away second factors; without one it is stored as is ({@code plain:}), since
 * the server must be able to compute codes and a key kept beside the database would protect nothing. Stored values
 * say which, so a key configured later still reads older plain secrets.
 */
final class TotpSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    TotpSecrets(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            key = null;
            return;
        }
        byte[] raw = Base64.getDecoder().decode(base64Key.strip());
        if (raw.length != 16 && raw.length != 32) {
            throw new IllegalArgumentException("hawser.totp.key is 16 or 32 bytes in base64, not " + raw.length + " bytes");
        }
        key = new SecretKeySpec(raw, "AES");
    }

    String seal(String secret) {
        if (key == null) {
            return "plain:" + secret;
        }
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
            return "aes:" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    String open(String stored) {
        if (stored.startsWith("plain:")) {
            return stored.substring("plain:".length());
        }
        if (!stored.startsWith("aes:")) {
            throw new IllegalStateException("unknown TOTP secret format");
        }
        if (key == null) {
            throw new IllegalStateException("a TOTP secret is encrypted but hawser.totp.key is not set");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring("aes:".length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a TOTP secret: is hawser.totp.key the one it was sealed with?", e);
        }
    }
}
