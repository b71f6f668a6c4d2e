package io.hawser.console.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostSecretsTest {

    @Test
    void generate_gives256RandomBits_asUnpaddedBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String secret = HostSecrets.generate();
            assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
            seen.add(secret);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void hash_isSha256OfTheText_andMatchesComparesIt() {
        // sha256("abc"), FIPS 180-2 appendix B.1
        assertThat(HexFormat.of().formatHex(HostSecrets.hash("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String secret = HostSecrets.generate();
        byte[] stored = HostSecrets.hash(secret);
        assertThat(HostSecrets.matches(secret, stored)).isTrue();
        assertThat(HostSecrets.matches(secret + "x", stored)).isFalse();
        assertThat(HostSecrets.matches(secret, null)).isFalse();
    }

    @Test
    void verdict_validUntilExpiryAndWhileUsesRemain() {
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        Instant before = expires.minusSeconds(1);
        assertThat(JoinToken.Verdict.of(expires, 2, 0, before)).isEqualTo(JoinToken.Verdict.VALID);
        assertThat(JoinToken.Verdict.of(expires, 2, 1, before)).isEqualTo(JoinToken.Verdict.VALID);
        assertThat(JoinToken.Verdict.of(expires, 2, 2, before)).isEqualTo(JoinToken.Verdict.USED_UP);
        assertThat(JoinToken.Verdict.of(expires, 2, 0, expires)).isEqualTo(JoinToken.Verdict.EXPIRED);
        assertThat(JoinToken.Verdict.of(expires, 1, 1, expires.plusSeconds(1))).as("expiry is reported first")
                .isEqualTo(JoinToken.Verdict.EXPIRED);
    }

    @Test
    void hostName_fromTheReportedHostname() {
        assertThat(HostService.hostName(" web-1 ")).isEqualTo("web-1");
        assertThat(HostService.hostName("")).isEqualTo("host");
        assertThat(HostService.hostName(null)).isEqualTo("host");
        assertThat(HostService.hostName("x".repeat(300))).hasSize(240);
    }
}
