package io.hawser.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionAbsoluteTimeoutTest {

    @Test
    void expired_onceTheAbsoluteLifetimeHasPassed() {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        Duration twelveHours = Duration.ofHours(12);
        assertThat(SessionAbsoluteTimeout.expired(created.toEpochMilli(), created.plus(Duration.ofHours(11)), twelveHours)).isFalse();
        assertThat(SessionAbsoluteTimeout.expired(created.toEpochMilli(), created.plus(twelveHours), twelveHours)).isTrue();
    }
}
