package io.hawser.console.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TotpTest {

    /** RFC 6238 appendix B, SHA-1 rows: the 8-digit codes; the 6-digit ones are their last six digits. */
    @Test
    void code_matchesTheRfc6238TestVectors() {
        byte[] key = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        assertThat(Totp.code(key, Totp.step(59), 8)).isEqualTo("94287082");
        assertThat(Totp.code(key, Totp.step(1111111109), 8)).isEqualTo("07081804");
        assertThat(Totp.code(key, Totp.step(1111111111), 8)).isEqualTo("14050471");
        assertThat(Totp.code(key, Totp.step(1234567890), 8)).isEqualTo("89005924");
        assertThat(Totp.code(key, Totp.step(2000000000), 8)).isEqualTo("69279037");
        assertThat(Totp.code(Totp.base32(key), Totp.step(1234567890))).isEqualTo("005924");
    }

    @Test
    void base32_roundTrips_asRfc4648() {
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(new String(Totp.fromBase32("MZXW6YTBOI"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        String secret = Totp.newSecret();
        assertThat(secret).hasSize(32).matches("[A-Z2-7]+");
    }

    @Test
    void matchingStep_allowsOneStepOfDrift_only() {
        String secret = Totp.newSecret();
        long now = 1_000_000;
        assertThat(Totp.matchingStep(secret, Totp.code(secret, now - 1), now)).isEqualTo(now - 1);
        assertThat(Totp.matchingStep(secret, Totp.code(secret, now + 1), now)).isEqualTo(now + 1);
        String old = Totp.code(secret, now - 2);
        if (!old.equals(Totp.code(secret, now - 1)) && !old.equals(Totp.code(secret, now)) && !old.equals(Totp.code(secret, now + 1))) {
            assertThat(Totp.matchingStep(secret, old, now)).isEqualTo(-1);
        }
        assertThat(Totp.matchingStep(secret, "12345", now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(secret, null, now)).isEqualTo(-1);
    }

    @Test
    void uri_isWhatAuthenticatorAppsRead() {
        assertThat(Totp.uri("Hawser", "alice", "ABC")).isEqualTo(
                "otpauth://totp/Hawser:alice?secret=ABC&issuer=Hawser&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void secrets_areSealedWithAKey_andPlainWithout() {
        TotpSecrets plain = new TotpSecrets("");
        assertThat(plain.seal("SECRET")).isEqualTo("plain:SECRET");
        TotpSecrets keyed = new TotpSecrets(Base64.getEncoder().encodeToString(new byte[32]));
        String sealed = keyed.seal("JBSWY3DPEHPK3PXP");
        assertThat(sealed).startsWith("aes:").doesNotContain("JBSWY3DPEHPK3PXP");
        assertThat(keyed.open(sealed)).isEqualTo("JBSWY3DPEHPK3PXP");
        assertThat(keyed.open("plain:OLD")).isEqualTo("OLD");
        assertThatThrownBy(() -> new TotpSecrets(Base64.getEncoder().encodeToString(new byte[31]).replace("=", "A") + "x"))
                .isInstanceOf(IllegalArgumentException.class);
        TotpSecrets otherKey = new TotpSecrets(Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> otherKey.open(sealed)).isInstanceOf(IllegalStateException.class);
    }
}
