package io.hawser.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {

    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void of_isSha256WithCanonicalToString() {
        assertThat(Digest.of(new byte[0]).toString()).isEqualTo("sha256:" + EMPTY);
        assertThat(Digest.of("abc".getBytes(StandardCharsets.UTF_8)).shortHex()).isEqualTo("ba7816bf8f01");
    }

    @Test
    void parse_roundTripsAndComparesByValue() {
        assertThat(Digest.parse("sha256:" + EMPTY)).isEqualTo(new Digest(EMPTY));
        assertThat(ImageId.parse("sha256:" + EMPTY).shortId()).isEqualTo("e3b0c44298fc");
    }

    @Test
    void parse_rejectsWrongSizeFirst() {
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).isInstanceOf(AgentException.class)
                .hasMessageContaining("expected sha256: and 64 hex characters");
        assertThatThrownBy(() -> Digest.parse(null)).isInstanceOf(AgentException.class);
    }

    @Test
    void parse_rejectsUppercaseHex() {
        assertThatThrownBy(() -> Digest.parse("sha256:" + EMPTY.toUpperCase())).hasMessageContaining("unexpected character 'E'");
    }

    @Test
    void parse_rejectsOtherAlgorithms() {
        assertThatThrownBy(() -> Digest.parse("sha512:" + EMPTY)).hasMessageContaining("unsupported algorithm 'sha512', only sha256");
    }

    @Test
    void constructor_rejectsNonHex() {
        assertThatThrownBy(() -> new Digest("g" + EMPTY.substring(1))).hasMessageContaining("not lowercase hexadecimal");
    }
}
