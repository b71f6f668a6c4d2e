package io.hawser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import org.junit.jupiter.api.Test;

class ApiVersionTest {

    @Test
    void compare_isNumericPerPart() {
        assertThat(ApiVersion.parse("1.9")).isLessThan(ApiVersion.parse("1.41"));
        assertThat(ApiVersion.parse("2.0")).isGreaterThan(ApiVersion.parse("1.47"));
        assertThat(ApiVersion.parse("1.47")).isEqualTo(ApiVersion.MAX);
        assertThat(ApiVersion.MAX).hasToString("1.47");
        assertThat(ApiVersion.MIN).hasToString("1.41");
    }

    @Test
    void negotiate_acceptsTheSupportedRange() {
        assertThat(ApiVersion.negotiate("1.41")).isEqualTo(ApiVersion.MIN);
        assertThat(ApiVersion.negotiate("1.44")).isEqualTo(new ApiVersion(1, 44));
        assertThat(ApiVersion.negotiate("1.47")).isEqualTo(ApiVersion.MAX);
    }

    @Test
    void negotiate_refusesTooNewWithDockerdsWords() {
        assertThatThrownBy(() -> ApiVersion.negotiate("1.99"))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessage("client version 1.99 is too new. Maximum supported API version is 1.47");
    }

    @Test
    void negotiate_refusesTooOldWithDockerdsWords() {
        assertThatThrownBy(() -> ApiVersion.negotiate("1.12"))
                .hasMessage("client version 1.12 is too old. Minimum supported API version is 1.41, "
                        + "please upgrade your client to a newer version");
    }

    @Test
    void parse_rejectsWhatIsNotMajorDotMinor() {
        for (String bad : new String[] {"1", "1.", ".41", "1.41.0", "1.4a", "", "99999.1"}) {
            assertThatThrownBy(() -> ApiVersion.parse(bad)).as(bad)
                    .isInstanceOf(AgentException.class)
                    .hasMessageStartingWith("invalid API version '" + bad + "'");
        }
    }
}
