package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void decisions() {
        RestartPolicy onFailure2 = new RestartPolicy("on-failure", 2);
        assertThat(onFailure2.shouldRestart(1, 0, false)).isTrue();
        assertThat(onFailure2.shouldRestart(1, 1, false)).isTrue();
        assertThat(onFailure2.shouldRestart(1, 2, false)).isFalse();
        assertThat(onFailure2.shouldRestart(0, 0, false)).isFalse();
        assertThat(new RestartPolicy("on-failure", 0).shouldRestart(1, 1000, false)).isTrue();
        assertThat(new RestartPolicy("always", 0).shouldRestart(0, 50, false)).isTrue();
        assertThat(new RestartPolicy("always", 0).shouldRestart(0, 0, true)).isFalse();
        assertThat(new RestartPolicy("unless-stopped", 0).shouldRestart(0, 0, true)).isFalse();
        assertThat(RestartPolicy.NO.shouldRestart(1, 0, false)).isFalse();
        // at agent start (dockerd's restore): docker stop keeps only unless-stopped down
        assertThat(new RestartPolicy("always", 0).startsWithAgent(137, 3, true)).isTrue();
        assertThat(new RestartPolicy("unless-stopped", 0).startsWithAgent(137, 0, true)).isFalse();
        assertThat(new RestartPolicy("unless-stopped", 0).startsWithAgent(0, 0, false)).isTrue();
        assertThat(onFailure2.startsWithAgent(137, 0, true)).isTrue();
        assertThat(onFailure2.startsWithAgent(1, 2, false)).isFalse();
        assertThat(onFailure2.startsWithAgent(0, 0, false)).isFalse();
        assertThat(RestartPolicy.NO.startsWithAgent(1, 0, false)).isFalse();
        assertThat(new RestartPolicy("", 0).isNone()).isTrue();
    }

    @Test
    void backoff_doublesFrom100ms_capsAtAMinute_resetsAfter10sRun() {
        Duration d = RestartPolicy.nextDelay(null, Duration.ZERO);
        assertThat(d).isEqualTo(Duration.ofMillis(100));
        d = RestartPolicy.nextDelay(d, Duration.ofMillis(10));
        assertThat(d).isEqualTo(Duration.ofMillis(200));
        d = RestartPolicy.nextDelay(d, Duration.ofMillis(10));
        assertThat(d).isEqualTo(Duration.ofMillis(400));
        for (int i = 0; i < 20; i++) {
            d = RestartPolicy.nextDelay(d, Duration.ofMillis(10));
        }
        assertThat(d).isEqualTo(Duration.ofMinutes(1));
        assertThat(RestartPolicy.nextDelay(d, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void validation_messages() {
        assertThatThrownBy(() -> new RestartPolicy("sometimes", 0).validate()).hasMessageContaining("unknown policy 'sometimes'");
        assertThatThrownBy(() -> new RestartPolicy("always", 3).validate())
                .hasMessageContaining("maximum retry count can only be used with 'on-failure'");
        assertThatThrownBy(() -> new RestartPolicy("on-failure", -1).validate()).hasMessageContaining("cannot be negative");
        new RestartPolicy("on-failure", 5).validate();
    }
}
