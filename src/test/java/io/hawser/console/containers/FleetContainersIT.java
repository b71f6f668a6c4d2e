package io.hawser.console.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.console.IntegrationTest;
import io.hawser.console.users.Role;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** The fleet list and its actions against the database: who sees and may touch what, filters, search, paging. */
@IntegrationTest
class FleetContainersIT {

    @Autowired
    FleetContainers fleet;
    @Autowired
    JdbcClient jdbc;

    UUID hostA;
    UUID hostB;
    UUID hostC;
    /** The audit log is append-only: this test's entries are those after this id. */
    long auditBefore;

    @BeforeEach
    void fleet() {
        auditBefore = jdbc.sql("SELECT coalesce(max(id), 0) FROM audit_log").query(Long.class).single();
        long ops = jdbc.sql("INSERT INTO teams (name) VALUES ('fleetc-ops') RETURNING id").query(Long.class).single();
        long viewer = user("fleetc-viewer");
        long operator = user("fleetc-operator");
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, 'VIEWER')").params(ops, viewer).update();
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, 'OPERATOR')").params(ops, operator).update();
        hostA = host("fleetc-a", ops);
        hostB = host("fleetc-b");
        hostC = host("fleetc-c", ops);
        container(hostA, "a1", "web-1", "nginx:1.25", "nginx -g daemon off;", "running", "{\"tier\": \"front\"}");
        container(hostA, "a2", "db", "postgres:15", "postgres", "exited", "{\"tier\": \"back\", \"backup\": \"yes\"}");
        container(hostB, "b1", "web-2", "nginx:1.25", "nginx", "running", "{\"tier\": \"front\"}");
        container(hostC, "c1", "batch_job", "busybox", "sh -c 'echo 100%'", "created", "{}");
    }

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'fleetc-%'").update();
        jdbc.sql("DELETE FROM teams WHERE name LIKE 'fleetc-%'").update();
        jdbc.sql("DELETE FROM users WHERE username LIKE 'fleetc-%'").update();
    }

    @Test
    void adminSeesEveryContainer_othersOnlyThoseOnTheirTeamsHosts() {
        signInAs("fleetc-admin", Role.ADMIN);
        assertThat(names(ContainerFilter.NONE)).containsExactly("db", "web-1", "web-2", "batch_job");
        assertThat(fleet.count(ContainerFilter.NONE)).as("other tests' rows are cleaned up").isEqualTo(4);

        signInAs("fleetc-viewer", Role.VIEWER);
        assertThat(names(ContainerFilter.NONE)).containsExactly("db", "web-1", "batch_job");
        assertThat(fleet.count(ContainerFilter.NONE)).isEqualTo(3);

        signInAs("fleetc-stranger", Role.OPERATOR);
        assertThat(names(ContainerFilter.NONE)).isEmpty();
    }

    @Test
    void filters_andSearch_narrowTheList() {
        signInAs("fleetc-admin", Role.ADMIN);
        ContainerFilter none = ContainerFilter.NONE;
        assertThat(names(none.withHost(hostA))).containsExactly("db", "web-1");
        assertThat(names(none.withState("running"))).containsExactly("web-1", "web-2");
        assertThat(names(none.withImage("NGINX"))).containsExactly("web-1", "web-2");
        assertThat(names(none.withName("web"))).containsExactly("web-1", "web-2");
        assertThat(names(none.withName("_"))).as("LIKE wildcards are literal").containsExactly("batch_job");
        assertThat(names(none.withLabel("backup"))).containsExactly("db");
        assertThat(names(none.withLabel("tier=front"))).containsExactly("web-1", "web-2");
        assertThat(names(none.withLabel("tier=nope"))).isEmpty();
        assertThat(names(none.withSearch("100%"))).as("search in the command").containsExactly("batch_job");
        assertThat(names(none.withSearch("postgres:"))).as("search in the image").containsExactly("db");
        assertThat(names(none.withSearch("BACK"))).as("search in the labels").containsExactly("db");
        assertThat(names(none.withState("running").withHost(hostB))).containsExactly("web-2");
        assertThat(fleet.count(none.withImage("nginx"))).isEqualTo(2);
    }

    @Test
    void sortAndPaging() {
        signInAs("fleetc-admin", Role.ADMIN);
        List<ContainerSort.Order> byNameDesc = List.of(new ContainerSort.Order(ContainerSort.NAME, false));
        assertThat(fleet.list(ContainerFilter.NONE.withName("-"), byNameDesc, 0, 10))
                .extracting(FleetContainer::name).containsExactly("web-2", "web-1");
        List<ContainerSort.Order> byName = List.of(new ContainerSort.Order(ContainerSort.NAME, true));
        List<String> all = fleet.list(ContainerFilter.NONE, byName, 0, 1000).stream()
                .filter(c -> c.hostName().startsWith("fleetc-")).map(FleetContainer::name).toList();
        assertThat(all).containsExactly("batch_job", "db", "web-1", "web-2");
        assertThat(fleet.list(ContainerFilter.NONE.withHost(hostA), byName, 1, 1))
                .extracting(FleetContainer::name).containsExactly("web-1");
        assertThat(fleet.list(ContainerFilter.NONE.withHost(hostA), byName, 2, 5)).isEmpty();
    }

    @Test
    void actionOnAHostWithoutLink_failsClearly_andIsAudited() {
        signInAs("fleetc-operator", Role.OPERATOR);
        List<ActionResult> results = fleet.perform(ContainerAction.STOP,
                List.of(new ContainerRef(hostA, "a1"), new ContainerRef(hostB, "b1")));

        assertThat(results).hasSize(2);
        assertThat(results.get(0)).isEqualTo(new ActionResult(hostA, "fleetc-a", "a1", "web-1", false,
                "host fleetc-a is not connected", 503));
        assertThat(results.get(1).ok()).isFalse();
        assertThat(results.get(1).message()).as("a host of another team is as good as absent").isEqualTo("no such container");
        assertThat(results.get(1).status()).isEqualTo(404);
        assertThat(audit("fleetc-operator")).as("hosts are worked on in parallel").containsExactlyInAnyOrder(
                Map.of("action", "container.stop", "target", "host:" + hostA + "/container:a1", "result", "failed",
                        "details", "host=fleetc-a container=web-1: host fleetc-a is not connected"),
                Map.of("action", "container.stop", "target", "host:" + hostB + "/container:b1", "result", "denied",
                        "details", "host=" + hostB + " container=b1: no such container"));
    }

    @Test
    void viewersMayNotAct() {
        signInAs("fleetc-viewer", Role.VIEWER);
        List<ActionResult> results = fleet.perform(ContainerAction.REMOVE, List.of(new ContainerRef(hostA, "a2")));
        assertThat(results).containsExactly(new ActionResult(hostA, "fleetc-a", "a2", "db", false,
                "not allowed: viewers change nothing", 403));
        assertThat(audit("fleetc-viewer")).extracting(m -> m.get("result")).containsExactly("denied");
    }

    private List<Map<String, Object>> audit(String actor) {
        return jdbc.sql("SELECT action, target, result, details FROM audit_log WHERE actor = ? AND id > ? ORDER BY id")
                .params(actor, auditBefore).query().listOfRows();
    }

    private List<String> names(ContainerFilter filter) {
        return fleet.list(filter, List.of(), 0, 1000).stream()
                .filter(c -> c.hostName().startsWith("fleetc-")).map(FleetContainer::name).toList();
    }

    private long user(String name) {
        return jdbc.sql("INSERT INTO users (username, password_hash) VALUES (?, 'x') RETURNING id").param(name)
                .query(Long.class).single();
    }

    private UUID host(String name, long... teams) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, ?)").params(id, name).update();
        for (long team : teams) {
            jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(id, team).update();
        }
        return id;
    }

    private void container(UUID host, String id, String name, String image, String command, String state, String labels) {
        jdbc.sql("""
                        INSERT INTO containers (host_id, container_id, name, image, command, state, labels)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(host, id, name, image, command, state, labels).update();
    }

    private static void signInAs(String name, Role role) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                name, null, AuthorityUtils.createAuthorityList(role.authority())));
    }
}
