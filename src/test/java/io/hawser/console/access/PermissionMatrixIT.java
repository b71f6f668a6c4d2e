package io.hawser.console.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.IntegrationTest;
import io.hawser.console.common.api.RestFixture;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.ContainerTerminals;
import io.hawser.console.containers.RealAgent;
import io.hawser.console.hosts.HostService;
import io.hawser.console.users.ApiTokens;
import io.hawser.console.users.NewApiToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The permission matrix of issue 6 over the REST API, log follow and the terminal: for each role (none, viewer,
 * operator, team admin, an operator's token narrowed to viewer, global admin) × each action × (a host of the
 * caller's team, another team's host), the status the console answers, on two real agents so that what is allowed
 * really happens. Every mismatch is collected and the whole matrix printed, so one failing cell hides no other.
 *
 * <p>Audit, in the same pass: every mutating call leaves exactly one audit row with the caller as actor (allowed: ok
 * or failed; refused: denied), a read leaves none; each HTTP basic request is one {@code login ok} row (basic auth is
 * stateless: every request is a sign-in), a bearer token's request none (its use is {@code last_used_at}).
 */
@IntegrationTest
class PermissionMatrixIT {

    private static final String P = "pmx-";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prints hello, then sleeps until SIGTERM (which it honours at once, so stop and restart are quick). */
    private static final String LOOP = "trap 'exit 0' TERM; echo hello-matrix; while true; do sleep 1; done";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    HostService hosts;
    @Autowired
    ContainerTerminals terminals;
    @Autowired
    ApiTokens tokens;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RestFixture fx;

    /** What a role may do on its own team's hosts; {@code global}: on every host, and administration. */
    private record Role(String label, String user, String bearer, String auditActor, Authentication auth,
                        boolean view, boolean control, boolean exec, boolean images, boolean global) {
    }

    private enum Col { OWN, OTHER }

    /** One cell: what was expected and what came (statuses, or for lists the items seen). */
    private record Cell(String role, String action, String col, String expected, String actual) {
        boolean ok() {
            return expected.equals(actual);
        }
    }

    private final List<Cell> cells = new ArrayList<>();
    private final List<String> auditMismatches = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        SecurityContextHolder.clearContext();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
        if (fx != null) {
            jdbc.sql("DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE username LIKE 'pmx-%')").update();
            fx.cleanUp();
        }
    }

    @Test
    void everyRoleTimesEveryActionOnOwnAndOtherTeamsHost() throws Exception {
        fx = new RestFixture(jdbc, encoder, port, P);
        long teamA = fx.team("team-a");
        long teamB = fx.team("team-b");
        RealAgent a = RealAgent.start(P + "a", hosts, jdbc, port);
        toClose.add(a);
        RealAgent b = RealAgent.start(P + "b", hosts, jdbc, port);
        toClose.add(b);
        jdbc.sql("DELETE FROM host_teams WHERE host_id IN (?, ?)").params(a.hostId, b.hostId).update();
        jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?), (?, ?)").params(a.hostId, teamA, b.hostId, teamB).update();
        // Hosts without an agent, one per team, for DELETE /api/hosts/{id} (the agents' hosts stay).
        UUID spareA = fx.host("spare-a", teamA);
        UUID spareB = fx.host("spare-b", teamB);

        String none = fx.user("none");
        String viewer = fx.member("viewer", teamA, "VIEWER");
        String operator = fx.member("operator", teamA, "OPERATOR");
        String teamAdmin = fx.member("team-admin", teamA, "TEAM_ADMIN");
        String admin = fx.user("admin");
        jdbc.sql("INSERT INTO user_roles (user_id, role) SELECT id, 'ADMIN' FROM users WHERE username = ?").param(admin).update();
        SecurityContextHolder.getContext().setAuthentication(auth(operator));
        NewApiToken token = tokens.create("pmx-narrow", Duration.ofHours(1), Optional.of(TeamRole.VIEWER));
        SecurityContextHolder.clearContext();

        List<Role> roles = List.of(
                new Role("none", none, null, none, auth(none), false, false, false, false, false),
                new Role("viewer", viewer, null, viewer, auth(viewer), true, false, false, false, false),
                new Role("operator", operator, null, operator, auth(operator), true, true, true, true, false),
                new Role("team admin", teamAdmin, null, teamAdmin, auth(teamAdmin), true, true, true, true, false),
                new Role("operator token as VIEWER", operator, token.secret(), operator + " (token pmx-narrow)",
                        auth(operator, TeamRole.VIEWER.ceilingAuthority()), true, false, false, false, false),
                new Role("global admin", admin, null, admin, auth(admin, "ROLE_ADMIN"), true, true, true, true, true));

        byte[] tarball = tarball();
        int n = 0;
        for (Role r : roles) {
            n++;
            String tag = "r" + n;
            Map<Col, UUID> host = Map.of(Col.OWN, a.hostId, Col.OTHER, b.hostId);
            Map<Col, RealAgent> agent = Map.of(Col.OWN, a, Col.OTHER, b);
            Map<Col, UUID> spare = Map.of(Col.OWN, spareA, Col.OTHER, spareB);
            Map<Col, String> container = new LinkedHashMap<>();
            for (Col col : Col.values()) {
                container.put(col, runContainer(agent.get(col), P + tag + "-" + col.name().toLowerCase()));
            }

            lists(r, tag, a.hostId, b.hostId, spareA, spareB);
            expect(r, "audit list", "-", r.global ? 200 : 403, false, "GET", "/api/audit?limit=5", null, null);

            for (Col col : Col.values()) {
                UUID h = host.get(col);
                String c = "/api/containers/" + h + "/" + container.get(col);
                boolean sees = r.global || col == Col.OWN && r.view;
                Function<Boolean, Integer> st = may -> !sees ? 404 : may ? 0 : 403;
                String cn = col.name();
                expect(r, "host get", cn, orOk(st.apply(true), 200), false, "GET", "/api/hosts/" + h, null, null);
                expect(r, "container inspect", cn, orOk(st.apply(true), 200), false, "GET", c + "/json", null, null);
                expect(r, "container top", cn, orOk(st.apply(true), 200), false, "GET", c + "/top", null, null);
                expect(r, "container changes", cn, orOk(st.apply(true), 200), false, "GET", c + "/changes", null, null);
                expect(r, "container stats", cn, orOk(st.apply(true), 200), false, "GET", c + "/stats", null, null);
                expect(r, "container logs", cn, orOk(st.apply(true), 200), false, "GET", c + "/logs", null, null);
                logFollow(r, cn, c, orOk(st.apply(true), 200));
                terminal(r, cn, new ContainerRef(h, container.get(col)), orOk(st.apply(r.exec || r.global), 200));

                boolean control = r.global || r.control;
                expect(r, "container stop", cn, orOk(st.apply(control), 204), true, "POST", c + "/stop", null, null);
                expect(r, "container start", cn, orOk(st.apply(control), 204), true, "POST", c + "/start", null, null);
                expect(r, "container restart", cn, orOk(st.apply(control), 204), true, "POST", c + "/restart", null, null);
                expect(r, "container kill", cn, orOk(st.apply(control), 204), true, "POST", c + "/kill", null, null);
                expect(r, "container remove", cn, orOk(st.apply(control), 204), true, "DELETE", c, null, null);
                String run = "{\"image\": \"" + RealAgent.IMAGE + "\", \"name\": \"" + P + tag + "-run-" + cn.toLowerCase()
                        + "\", \"cmd\": [\"sh\", \"-c\", \"" + LOOP.replace("'", "'") + "\"]}";
                expect(r, "container run", cn, orOk(st.apply(control), 201), true, "POST", "/api/containers/" + h,
                        run.getBytes(StandardCharsets.UTF_8), "application/json");

                boolean images = r.global || r.images;
                String newTag = P + tag + "-" + cn.toLowerCase() + ":1";
                expect(r, "image tag", cn, orOk(st.apply(images), 201), true, "POST", "/api/hosts/" + h + "/images/"
                        + RealAgent.IMAGE + "/tag?repo=" + newTag.substring(0, newTag.indexOf(':')) + "&tag=1", null, null);
                expect(r, "image remove", cn, orOk(st.apply(images), 200), true, "DELETE",
                        "/api/hosts/" + h + "/images/" + newTag, null, null);
                expect(r, "image import", cn, orOk(st.apply(images), 201), true, "POST", "/api/hosts/" + h
                        + "/images/import?repo=" + P + tag + "-imp-" + cn.toLowerCase() + "&tag=1", tarball, "application/x-tar");

                String name = jdbc.sql("SELECT name FROM hosts WHERE id = ?").param(h).query(String.class).single();
                expect(r, "host rename", cn, orOk(st.apply(r.global), 200), true, "PATCH", "/api/hosts/" + h,
                        ("{\"name\": \"" + name + "\"}").getBytes(StandardCharsets.UTF_8), "application/json");
                boolean seesSpare = r.global || col == Col.OWN && r.view;
                expect(r, "host remove", cn, !seesSpare ? 404 : r.global ? 204 : 403, true, "DELETE",
                        "/api/hosts/" + spare.get(col), null, null);
            }
        }

        List<Cell> wrong = cells.stream().filter(c -> !c.ok()).toList();
        if (!wrong.isEmpty() || !auditMismatches.isEmpty()) {
            System.out.println(table());
        } else {
            System.out.println("permission matrix: " + cells.size() + " cells as expected\n" + table());
        }
        assertThat(wrong).as("cells answered otherwise than expected\n" + table()).isEmpty();
        assertThat(auditMismatches).as("audit rows not exactly once").isEmpty();
    }

    private static int orOk(int refused, int ok) {
        return refused == 0 ? ok : refused;
    }

    /** Lists hold exactly what the role may see (of this test's hosts; a non-administrator sees nothing else). */
    private void lists(Role r, String tag, UUID hostA, UUID hostB, UUID spareA, UUID spareB) throws Exception {
        Set<UUID> ours = Set.of(hostA, hostB, spareA, spareB);
        Set<UUID> visible = r.global ? ours : r.view ? Set.of(hostA, spareA) : Set.of();
        Set<UUID> visibleAgents = r.global ? Set.of(hostA, hostB) : r.view ? Set.of(hostA) : Set.of();

        Answer hostList = audited(r, "GET", "/api/hosts", null, null, false, "host list");
        cells.add(new Cell(r.label, "list hosts", "-", "200 " + names(visible, hostA, hostB, spareA, spareB),
                hostList.status + " " + names(ids(hostList, n -> n, "id", r.global ? ours : null), hostA, hostB, spareA, spareB)));

        Answer containers = audited(r, "GET", "/api/containers?limit=1000&name=" + P + tag + "-", null, null, false, "container list");
        Set<String> expectedContainers = new TreeSet<>();
        if (visibleAgents.contains(hostA)) {
            expectedContainers.add(P + tag + "-own");
        }
        if (visibleAgents.contains(hostB)) {
            expectedContainers.add(P + tag + "-other");
        }
        Set<String> seen = new TreeSet<>();
        if (containers.status == 200) {
            for (JsonNode item : containers.json().path("items")) {
                seen.add(item.path("name").asText());
            }
        }
        cells.add(new Cell(r.label, "list containers", "-", "200 " + expectedContainers, containers.status + " " + seen));

        Answer images = audited(r, "GET", "/api/images?name=" + RealAgent.IMAGE, null, null, false, "image list");
        Set<UUID> imageHosts = new TreeSet<>();
        if (images.status == 200) {
            for (JsonNode item : images.json()) {
                for (JsonNode h : item.path("hosts")) {
                    imageHosts.add(UUID.fromString(h.path("id").asText()));
                }
            }
        }
        if (r.global) {
            imageHosts.retainAll(ours);
        }
        cells.add(new Cell(r.label, "list images", "-", "200 " + names(visibleAgents, hostA, hostB, spareA, spareB),
                images.status + " " + names(imageHosts, hostA, hostB, spareA, spareB)));

        Answer events = audited(r, "GET", "/api/events?limit=1000", null, null, false, "event list");
        cells.add(new Cell(r.label, "list events", "-", "200 " + names(visibleAgents, hostA, hostB, spareA, spareB),
                events.status + " " + names(ids(events, n -> n.path("items"), "hostId", r.global ? ours : null),
                        hostA, hostB, spareA, spareB)));
    }

    private static Set<UUID> ids(Answer answer, Function<JsonNode, JsonNode> items, String field, Set<UUID> only)
            throws IOException {
        Set<UUID> ids = new TreeSet<>();
        if (answer.status == 200) {
            for (JsonNode item : items.apply(answer.json())) {
                ids.add(UUID.fromString(item.path(field).asText()));
            }
        }
        if (only != null) {
            ids.retainAll(only);
        }
        return ids;
    }

    /** Host ids as the matrix names them (A, B, spare A, spare B; another id as itself), sorted. */
    private static String names(Set<UUID> ids, UUID hostA, UUID hostB, UUID spareA, UUID spareB) {
        Set<String> names = new TreeSet<>();
        for (UUID id : ids) {
            names.add(id.equals(hostA) ? "A" : id.equals(hostB) ? "B" : id.equals(spareA) ? "spareA"
                    : id.equals(spareB) ? "spareB" : id.toString());
        }
        return names.toString();
    }

    private void expect(Role r, String action, String col, int expected, boolean mutating, String method, String path,
                        byte[] body, String type) throws Exception {
        Answer answer = audited(r, method, path, body, type, mutating, action + " " + col);
        cells.add(new Cell(r.label, action, col, String.valueOf(expected), String.valueOf(answer.status)
                + (answer.status == expected ? "" : " " + abbreviate(answer.body))));
    }

    /**
     * The call, and its audit rows checked: a mutating call exactly one with the role's actor and the result its
     * status means, a read none; one {@code login ok} per basic request, none for a bearer token.
     */
    private Answer audited(Role r, String method, String path, byte[] body, String type, boolean mutating, String what)
            throws Exception {
        long before = maxAuditId();
        System.out.println("matrix: " + r.label + " " + what + ": " + method + " " + path);
        Answer answer = send(r, method, path, body, type);
        List<String> rows = jdbc.sql("""
                        SELECT actor || ' | ' || action || ' | ' || result FROM audit_log
                        WHERE id > ? AND actor LIKE ? AND action <> 'login' ORDER BY id""")
                .params(before, r.user + "%").query(String.class).list();
        long logins = jdbc.sql("SELECT count(*) FROM audit_log WHERE id > ? AND actor LIKE ? AND action = 'login' AND result = 'ok'")
                .params(before, r.user + "%").query(Long.class).single();
        String result = answer.status / 100 == 2 || answer.status == 304 ? "ok"
                : answer.status == 403 || answer.status == 404 ? "denied" : "failed";
        if (mutating) {
            if (rows.size() != 1 || !rows.get(0).startsWith(r.auditActor + " | ") || !rows.get(0).endsWith(" | " + result)) {
                auditMismatches.add(r.label + " / " + what + " (" + answer.status + "): expected one row '" + r.auditActor
                        + " | ... | " + result + "', found " + rows);
            }
        } else if (!rows.isEmpty()) {
            auditMismatches.add(r.label + " / " + what + " (a read): expected no row, found " + rows);
        }
        long expectedLogins = r.bearer == null ? 1 : 0;
        if (logins != expectedLogins) {
            auditMismatches.add(r.label + " / " + what + ": expected " + expectedLogins + " 'login ok' rows, found " + logins);
        }
        return answer;
    }

    /** GET .../logs?follow=true: the status, and for a 200 that the log's first line arrives while it follows. */
    private void logFollow(Role r, String col, String container, int expected) throws Exception {
        long before = maxAuditId();
        HttpRequest request = request(r, "GET", container + "/logs?follow=true", null, null);
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String actual;
        try (InputStream in = response.body()) {
            if (response.statusCode() == 200) {
                CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
                    StringBuilder seen = new StringBuilder();
                    byte[] buf = new byte[4096];
                    try {
                        int k;
                        while (!seen.toString().contains("hello-matrix") && (k = in.read(buf)) > 0) {
                            seen.append(new String(buf, 0, k, StandardCharsets.ISO_8859_1));
                        }
                    } catch (IOException e) {
                        seen.append(e);
                    }
                    return seen.toString();
                });
                String got = data.get(30, TimeUnit.SECONDS);
                actual = got.contains("hello-matrix") ? "200" : "200 without the log: " + abbreviate(got);
            } else {
                actual = response.statusCode() + "";
            }
        }
        cells.add(new Cell(r.label, "logs follow", col, String.valueOf(expected), actual));
        long rows = jdbc.sql("SELECT count(*) FROM audit_log WHERE id > ? AND actor LIKE ? AND action <> 'login'")
                .params(before, r.user + "%").query(Long.class).single();
        if (rows != 0) {
            auditMismatches.add(r.label + " / logs follow " + col + ": a read wrote " + rows + " audit rows");
        }
    }

    /** ContainerTerminals.open at the service layer, as the role: a session (200), AccessDenied (403) or NotVisible (404). */
    private void terminal(Role r, String col, ContainerRef ref, int expected) {
        long before = maxAuditId();
        SecurityContextHolder.getContext().setAuthentication(r.auth);
        String actual;
        try (ContainerTerminals.Session session = terminals.open(ref, List.of("sh"), 80, 24)) {
            actual = session == null ? "null session" : "200";
        } catch (AccessDeniedException e) {
            actual = "403";
        } catch (NotVisibleException e) {
            actual = "404";
        } catch (RuntimeException e) {
            actual = "failed: " + e;
        } finally {
            SecurityContextHolder.clearContext();
        }
        cells.add(new Cell(r.label, "terminal (service)", col, String.valueOf(expected), actual));
        List<String> rows = jdbc.sql("SELECT action || ' | ' || result FROM audit_log WHERE id > ? AND actor LIKE ? ORDER BY id")
                .params(before, r.user + "%").query(String.class).list();
        String result = "200".equals(actual) ? "ok" : "403".equals(actual) || "404".equals(actual) ? "denied" : "failed";
        if (!rows.equals(List.of("container.exec | " + result))) {
            auditMismatches.add(r.label + " / terminal " + col + ": expected one 'container.exec | " + result + "', found " + rows);
        }
    }

    private String runContainer(RealAgent agent, String name) throws Exception {
        String id = agent.docker("run", "-d", "--name", name, RealAgent.IMAGE, "sh", "-c", LOOP).strip();
        agent.await(name + " running in the inventory", () -> "running".equals(jdbc.sql(
                        "SELECT state FROM containers WHERE host_id = ? AND container_id = ?")
                .params(agent.hostId, id).query(String.class).optional().orElse(null)));
        agent.await(name + " has logged", () -> {
            try {
                return agent.docker("logs", id).contains("hello-matrix");
            } catch (Exception e) {
                return false;
            }
        });
        return id;
    }

    private long maxAuditId() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM audit_log").query(Long.class).single();
    }

    private record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Answer send(Role r, String method, String path, byte[] body, String type) throws Exception {
        HttpResponse<String> response = http.send(request(r, method, path, body, type), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private HttpRequest request(Role r, String method, String path, byte[] body, String type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        request.header("Authorization", r.bearer != null ? "Bearer " + r.bearer : "Basic " + Base64.getEncoder()
                .encodeToString((r.user + ":" + RestFixture.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        return request.build();
    }

    private static Authentication auth(String user, String... authorities) {
        return UsernamePasswordAuthenticationToken.authenticated(user, null, AuthorityUtils.createAuthorityList(authorities));
    }

    private static byte[] tarball() throws Exception {
        Path dir = Files.createTempDirectory("pmx-tar");
        try {
            Files.writeString(dir.resolve("hello.txt"), "hello\n");
            Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", "-", "hello.txt").start();
            byte[] tar = p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            return tar;
        } finally {
            Files.deleteIfExists(dir.resolve("hello.txt"));
            Files.deleteIfExists(dir);
        }
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() > 120 ? one.substring(0, 120) + "…" : one;
    }

    /** role × action as rows, OWN / OTHER / list columns as "expected→actual", a mismatch marked with !!. */
    private String table() {
        Map<String, Map<String, Cell>> rows = new LinkedHashMap<>();
        for (Cell c : cells) {
            rows.computeIfAbsent(c.role + " | " + c.action, k -> new LinkedHashMap<>()).put(c.col, c);
        }
        StringBuilder out = new StringBuilder(String.format("%-50s %-28s %-28s %s%n", "role | action", "own team's host",
                "other team's host", "(not per host)"));
        for (Map.Entry<String, Map<String, Cell>> row : rows.entrySet()) {
            out.append(String.format("%-50s %-28s %-28s %s%n", row.getKey(), cell(row.getValue().get("OWN")),
                    cell(row.getValue().get("OTHER")), cell(row.getValue().get("-"))));
        }
        for (String m : auditMismatches) {
            out.append("AUDIT: ").append(m).append('\n');
        }
        return out.toString();
    }

    private static String cell(Cell c) {
        if (c == null) {
            return "";
        }
        return c.ok() ? c.actual() : "!! expected " + c.expected() + " got " + c.actual();
    }
}
