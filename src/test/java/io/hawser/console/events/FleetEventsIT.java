package io.hawser.console.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.console.IntegrationTest;
import io.hawser.console.users.Role;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** The fleet's event log: who sees which host's events, the filters, newest first, paging. */
@IntegrationTest
class FleetEventsIT {

    static final String WEB_ID = "a".repeat(64);
    static final String DB_ID = "ab" + "c".repeat(62);
    static final Instant T0 = Instant.parse("2031-05-06T07:00:00Z");

    @Autowired
    FleetEvents events;
    @Autowired
    JdbcClient jdbc;

    UUID ours;
    UUID theirs;

    @BeforeEach
    void fleet() {
        long team = jdbc.sql("INSERT INTO teams (name) VALUES ('fev-ops') RETURNING id").query(Long.class).single();
        long viewer = jdbc.sql("INSERT INTO users (username, password_hash) VALUES ('fev-viewer', 'x') RETURNING id")
                .query(Long.class).single();
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, 'VIEWER')").params(team, viewer).update();
        ours = host("fev-ours", team);
        theirs = host("fev-theirs", null);
        event(ours, 0, "image", "import", "sha256:" + "1".repeat(64), "{\"name\": \"bb:1\"}");
        event(ours, 1, "container", "create", WEB_ID, "{\"name\": \"web\", \"image\": \"bb:1\"}");
        event(ours, 2, "container", "start", WEB_ID, "{\"name\": \"web\", \"image\": \"bb:1\"}");
        event(ours, 3, "container", "start", DB_ID, "{\"name\": \"db\", \"image\": \"bb:1\"}");
        event(theirs, 4, "container", "start", "d".repeat(64), "{\"name\": \"web\", \"image\": \"bb:1\"}");
        event(ours, 5, "network", "connect", "e".repeat(64), "{\"name\": \"bridge\", \"container\": \"" + WEB_ID + "\"}");
        event(ours, 6, "container", "die", WEB_ID, "{\"name\": \"web\", \"exitCode\": \"137\"}");
    }

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'fev-%'").update();
        jdbc.sql("DELETE FROM teams WHERE name LIKE 'fev-%'").update();
        jdbc.sql("DELETE FROM users WHERE username LIKE 'fev-%'").update();
    }

    @Test
    void newestFirst_andOnlyTheHostsTheCallerMaySee() {
        signInAs("fev-admin", Role.ADMIN);
        EventQuery mine = EventQuery.ALL.withSince(T0);
        assertThat(actions(mine)).containsExactly("die", "connect", "start", "start", "start", "create", "import");
        assertThat(events.count(mine)).isEqualTo(7);
        EventEntry die = events.list(mine, 0, 1).get(0);
        assertThat(die.hostId()).isEqualTo(ours);
        assertThat(die.hostName()).isEqualTo("fev-ours");
        assertThat(die.time()).isEqualTo(T0.plusSeconds(6).plusNanos(123));
        assertThat(die.actorId()).isEqualTo(WEB_ID);
        assertThat(die.actorName()).isEqualTo("web");
        assertThat(die.attributes()).containsEntry("exitCode", "137");

        signInAs("fev-viewer", Role.VIEWER);
        assertThat(actions(mine)).containsExactly("die", "connect", "start", "start", "create", "import");
        assertThat(events.count(mine)).isEqualTo(6);
        assertThat(events.list(mine.withHost(theirs), 0, 100)).as("another team's host is as good as absent").isEmpty();

        signInAs("fev-stranger", Role.OPERATOR);
        assertThat(events.count(mine)).isZero();
    }

    @Test
    void filters() {
        signInAs("fev-admin", Role.ADMIN);
        EventQuery mine = EventQuery.ALL.withSince(T0);
        assertThat(actions(mine.withHost(theirs))).containsExactly("start");
        assertThat(actions(mine.withType("image"))).containsExactly("import");
        assertThat(actions(mine.withType("NETWORK"))).containsExactly("connect");
        assertThat(actions(mine.withAction("start"))).containsExactly("start", "start", "start");
        assertThat(names(mine.withContainer("web"))).as("by name, on every host")
                .containsExactly("fev-ours/die", "fev-theirs/start", "fev-ours/start", "fev-ours/create");
        assertThat(names(mine.withContainer(WEB_ID))).as("by full id")
                .containsExactly("fev-ours/die", "fev-ours/start", "fev-ours/create");
        assertThat(names(mine.withContainer("ab"))).as("by id prefix").containsExactly("fev-ours/start");
        assertThat(names(mine.withContainer("a"))).as("a prefix of both")
                .containsExactly("fev-ours/die", "fev-ours/start", "fev-ours/start", "fev-ours/create");
        assertThat(names(mine.withContainer("web%"))).as("LIKE wildcards are not patterns here").isEmpty();
        assertThat(actions(mine.withContainer("bb:1"))).as("an image's name is no container").isEmpty();
        assertThat(actions(EventQuery.ALL.withSince(T0.plusSeconds(2)).withUntil(T0.plusSeconds(4))))
                .as("since inclusive, until exclusive").containsExactly("start", "start");
        assertThat(actions(mine.withHost(ours).withType("container").withContainer("web").withAction("start")))
                .containsExactly("start");
    }

    @Test
    void paging_andBadQueries() {
        signInAs("fev-admin", Role.ADMIN);
        EventQuery mine = EventQuery.ALL.withSince(T0);
        assertThat(events.list(mine, 1, 2)).extracting(EventEntry::action).containsExactly("connect", "start");
        assertThat(events.list(mine, 7, 10)).isEmpty();
        assertThatThrownBy(() -> events.list(mine, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> events.list(mine, 0, FleetEvents.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mine.withType("plugin")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown event type");
        assertThatThrownBy(() -> mine.withUntil(T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("since must be before until");
    }

    private List<String> actions(EventQuery q) {
        return events.list(q, 0, 100).stream().map(EventEntry::action).toList();
    }

    private List<String> names(EventQuery q) {
        return events.list(q, 0, 100).stream().map(e -> e.hostName() + "/" + e.action()).toList();
    }

    private UUID host(String name, Long team) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, ?)").params(id, name).update();
        if (team != null) {
            jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(id, team).update();
        }
        return id;
    }

    private void event(UUID host, int second, String type, String action, String actor, String attributes) {
        long nanos = T0.getEpochSecond() * 1_000_000_000L + second * 1_000_000_000L + 123;
        jdbc.sql("""
                        INSERT INTO fleet_events (host_id, time, time_nano, type, action, actor_id, attributes)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(host, java.sql.Timestamp.from(T0.plusSeconds(second)), nanos, type, action, actor, attributes)
                .update();
    }

    private static void signInAs(String name, Role role) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                name, null, AuthorityUtils.createAuthorityList(role.authority())));
    }
}
