package io.hawser.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.console.IntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/** hawser.link.event-retention (30 days unless set) really deletes older fleet events, and only those. */
@IntegrationTest
class EventRetentionIT {

    @Autowired
    EventRetention retention;
    @Autowired
    LinkProperties properties;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void cleanUp() {
        jdbc.sql("DELETE FROM hosts WHERE name = 'retention-it'").update();
    }

    @Test
    void prune_deletesEventsOlderThanTheRetention_keepsTheRest() throws Exception {
        assertThat(properties.eventRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(EventRetention.class.getDeclaredMethod("prune").getAnnotation(Scheduled.class))
                .as("pruned on a schedule, not only when asked").isNotNull();
        UUID host = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, 'retention-it')").param(host).update();
        Instant now = Instant.now();
        event(host, now.minus(Duration.ofDays(31)), "old");
        event(host, now.minus(Duration.ofDays(30)).minusSeconds(60), "just-too-old");
        event(host, now.minus(Duration.ofDays(29)), "kept");
        event(host, now, "new");

        assertThat(retention.prune()).isGreaterThanOrEqualTo(2);

        assertThat(jdbc.sql("SELECT action FROM fleet_events WHERE host_id = ? ORDER BY time").param(host)
                .query(String.class).list()).containsExactly("kept", "new");
    }

    private void event(UUID host, Instant at, String action) {
        jdbc.sql("""
                        INSERT INTO fleet_events (host_id, time, time_nano, type, action, actor_id)
                        VALUES (?, ?, ?, 'container', ?, 'x')""")
                .params(host, Timestamp.from(at), at.getEpochSecond() * 1_000_000_000L + at.getNano(), action).update();
    }
}
