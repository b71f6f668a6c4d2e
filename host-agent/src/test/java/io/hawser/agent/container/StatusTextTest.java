package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusTextTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void humanDuration_asGoUnits() {
        assertThat(StatusText.humanDuration(Duration.ofMillis(500))).isEqualTo("Less than a second");
        assertThat(StatusText.humanDuration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(StatusText.humanDuration(Duration.ofSeconds(3))).isEqualTo("3 seconds");
        assertThat(StatusText.humanDuration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(StatusText.humanDuration(Duration.ofMinutes(2))).isEqualTo("2 minutes");
        assertThat(StatusText.humanDuration(Duration.ofMinutes(70))).isEqualTo("About an hour");
        assertThat(StatusText.humanDuration(Duration.ofHours(5))).isEqualTo("5 hours");
        assertThat(StatusText.humanDuration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(StatusText.humanDuration(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(StatusText.humanDuration(Duration.ofDays(90))).isEqualTo("3 months");
        assertThat(StatusText.humanDuration(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void statuses() {
        ContainerState created = ContainerState.created();
        assertThat(StatusText.of(created, NOW)).isEqualTo("Created");
        ContainerState running = created.running(7, NOW.minusSeconds(3));
        assertThat(StatusText.of(running, NOW)).isEqualTo("Up 3 seconds");
        assertThat(StatusText.of(running.to(ContainerStatus.PAUSED), NOW)).isEqualTo("Up 3 seconds (Paused)");
        ContainerState exited = running.exited(0, false, "", NOW.minusSeconds(120));
        assertThat(StatusText.of(exited, NOW)).isEqualTo("Exited (0) 2 minutes ago");
        assertThat(StatusText.of(exited.withStatus(ContainerStatus.RESTARTING), NOW)).isEqualTo("Restarting (0) 2 minutes ago");
        assertThat(StatusText.of(exited.withStatus(ContainerStatus.REMOVING), NOW)).isEqualTo("Removal In Progress");
        assertThat(StatusText.of(exited.withStatus(ContainerStatus.DEAD), NOW)).isEqualTo("Dead");
    }
}
