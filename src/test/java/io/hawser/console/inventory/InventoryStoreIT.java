package io.hawser.console.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.IntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reconciliation, events and stats against the real schema. */
@IntegrationTest
class InventoryStoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    InventoryStore store;
    @Autowired
    JdbcClient jdbc;

    private final UUID host = UUID.randomUUID();
    private final Instant now = Instant.parse("2030-01-01T00:00:00Z");

    @BeforeEach
    void host() {
        jdbc.sql("INSERT INTO hosts (id, name, status) VALUES (?, ?, 'ONLINE')").params(host, "inventory-" + host).update();
    }

    @AfterEach
    void cleanUp() {
        jdbc.sql("DELETE FROM hosts WHERE id = ?").param(host).update();
    }

    @Test
    void reconcile_upsertsWhatIsThere_andDeletesWhatIsNot() throws Exception {
        store.reconcile(host, List.of(container("a", "running"), container("b", "exited")), List.of(image("sha256:1")), now);
        store.reconcile(host, List.of(container("b", "running"), container("c", "created")), List.of(image("sha256:2")), now);
        store.reconcile(host, List.of(container("b", "running"), container("c", "created")), List.of(image("sha256:2")), now);

        assertThat(jdbc.sql("SELECT container_id || '=' || state FROM containers WHERE host_id = ? ORDER BY 1").param(host)
                .query(String.class).list()).containsExactly("b=running", "c=created");
        assertThat(jdbc.sql("SELECT image_id FROM images WHERE host_id = ?").param(host).query(String.class).list())
                .containsExactly("sha256:2");

        store.reconcile(host, List.of(), List.of(), now);
        assertThat(jdbc.sql("SELECT count(*) FROM containers WHERE host_id = ?").param(host).query(Long.class).single()).isZero();
    }

    @Test
    void events_areRecordedOnce_andApplyToTheirContainer() throws Exception {
        store.reconcile(host, List.of(container("a", "created")), List.of(), now);
        FleetEvent start = event("container", "start", "a", 1_900_000_000_000_000_000L);
        store.recordEvent(host, start, container("a", "running"), false, now);
        store.recordEvent(host, start, container("a", "running"), false, now); // replayed after a reconnect
        assertThat(jdbc.sql("SELECT count(*) FROM fleet_events WHERE host_id = ?").param(host).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT state FROM containers WHERE host_id = ? AND container_id = 'a'").param(host)
                .query(String.class).single()).isEqualTo("running");
        assertThat(jdbc.sql("SELECT started_at IS NOT NULL FROM containers WHERE host_id = ?").param(host)
                .query(Boolean.class).single()).isTrue();

        store.updateStats(host, List.of(new StatsRow("a", 12.5, 1024L, 4096L)), now);
        assertThat(jdbc.sql("SELECT cpu_percent FROM containers WHERE host_id = ?").param(host).query(Double.class).single())
                .isEqualTo(12.5);

        store.recordEvent(host, event("container", "destroy", "a", 1_900_000_100_000_000_000L), null, true, now);
        assertThat(jdbc.sql("SELECT count(*) FROM containers WHERE host_id = ?").param(host).query(Long.class).single()).isZero();
        assertThat(store.deleteEventsBefore(Instant.ofEpochSecond(1_900_000_050))).isEqualTo(1);
    }

    @Test
    void markUnreachable_onlyOnlineHostsNotSeenSinceTheCutoff_andNotLinkedHere() {
        store.touch(host, now.minusSeconds(20));
        assertThat(store.markUnreachable(now.minusSeconds(15), List.of(host))).isZero();
        assertThat(store.markUnreachable(now.minusSeconds(30), List.of())).isZero();
        store.markUnreachable(now.minusSeconds(15), List.of());
        assertThat(jdbc.sql("SELECT status FROM hosts WHERE id = ?").param(host).query(String.class).single()).isEqualTo("UNREACHABLE");
        store.touch(host, now);
        assertThat(jdbc.sql("SELECT status FROM hosts WHERE id = ?").param(host).query(String.class).single()).isEqualTo("ONLINE");
    }

    private static ContainerRow container(String id, String state) throws Exception {
        return ContainerRow.fromDocker(JSON.readTree("{\"Id\":\"" + id + "\",\"Names\":[\"/n-" + id + "\"],\"State\":\"" + state + "\"}"));
    }

    private static ImageRow image(String id) throws Exception {
        return ImageRow.fromDocker(JSON.readTree("{\"Id\":\"" + id + "\",\"RepoTags\":[\"x:1\"]}"));
    }

    private static FleetEvent event(String type, String action, String actor, long nanos) throws Exception {
        return FleetEvent.fromDocker(JSON.readTree("{\"Type\":\"" + type + "\",\"Action\":\"" + action
                + "\",\"Actor\":{\"ID\":\"" + actor + "\"},\"timeNano\":" + nanos + "}"));
    }
}
