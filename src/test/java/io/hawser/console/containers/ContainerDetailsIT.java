package io.hawser.console.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.IntegrationTest;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.hosts.HostService;
import io.hawser.console.users.Role;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * One container's detail against a real agent: inspect, top and diff as the docker CLI prints them against the same
 * agent (through the service and the REST API), logs follow over REST, run over REST, a terminal, and who may do what.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerDetailsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "detail-it-password-0123";

    @LocalServerPort
    int port;
    @Autowired
    HostService hosts;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ContainerDetails details;
    @Autowired
    ContainerTerminals terminals;
    @Autowired
    PasswordEncoder passwords;

    RealAgent agent;
    String quiet;
    String ticker;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void agentAndUsers() throws Exception {
        agent = RealAgent.start("detail-it-host", hosts, jdbc, port);
        long ops = jdbc.sql("INSERT INTO teams (name) VALUES ('detail-it-ops') RETURNING id").query(Long.class).single();
        long others = jdbc.sql("INSERT INTO teams (name) VALUES ('detail-it-others') RETURNING id").query(Long.class).single();
        jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(agent.hostId, ops).update();
        member(ops, user("detail-it-viewer"), "VIEWER");
        member(others, user("detail-it-stranger"), "OPERATOR");
        quiet = agent.docker("run", "-d", "--network", "none", "--name", "detail-it-quiet", RealAgent.IMAGE, "sh", "-c",
                "busybox mkdir /work && echo hi > /work/a && exec busybox sleep 100000").strip();
        ticker = agent.docker("run", "-d", "--network", "none", "--name", "detail-it-ticker", RealAgent.IMAGE, "sh", "-c",
                "i=0; while true; do echo tick $i; i=$((i+1)); busybox sleep 0.5; done").strip();
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (agent != null) {
                agent.close();
            }
        } finally {
            jdbc.sql("DELETE FROM teams WHERE name LIKE 'detail-it-%'").update();
            jdbc.sql("DELETE FROM users WHERE username LIKE 'detail-it-%'").update();
        }
    }

    @Test
    void inspectTopAndDiff_matchTheDockerCli_throughServiceAndRest() throws Exception {
        signInAs("detail-it-admin", Role.ADMIN);
        ContainerRef ref = new ContainerRef(agent.hostId, quiet);
        JsonNode inspect = details.inspect(ref);
        assertThat(inspect.path("Id").asText()).isEqualTo(quiet);
        assertThat(inspect.path("Name").asText()).isEqualTo("/detail-it-quiet");
        assertThat(inspect.path("State").path("Running").asBoolean()).isTrue();
        assertThat(inspect.path("State").path("Pid").asText())
                .isEqualTo(agent.docker("inspect", "-f", "{{.State.Pid}}", quiet).strip());
        assertThat(rest("/json").path("Id").asText()).isEqualTo(quiet);

        List<String> cliTop = collapse(agent.docker("top", quiet));
        assertThat(table(details.top(ref, null))).isEqualTo(cliTop);
        assertThat(table(rest("/top"))).isEqualTo(cliTop);
        assertThat(cliTop).as("titles and the container's processes").hasSizeGreaterThan(1);
        assertThat(cliTop.get(0)).contains("PID");

        List<String> cliDiff = sorted(agent.docker("diff", quiet));
        assertThat(changes(details.diff(ref))).isEqualTo(cliDiff);
        assertThat(changes(rest("/changes"))).isEqualTo(cliDiff);
        assertThat(cliDiff).contains("A /work", "A /work/a");

        JsonNode stats = rest("/stats");
        assertThat(stats.path("memory_stats").path("usage").asLong()).isPositive();
        assertThat(stats.has("cpu_stats")).isTrue();

        HttpResponse<String> missing = get("/api/containers/" + agent.hostId + "/" + "ab".repeat(32) + "/json", "admin",
                IntegrationTest.ADMIN_PASSWORD);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).path("message").asText()).contains("No such container");
    }

    @Test
    void logsFollow_overRest_streamsALineWrittenAfterTheRequestStarted() throws Exception {
        int before = tickNumber(agent.docker("logs", "--tail", "1", ticker).strip());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/containers/"
                        + agent.hostId + "/" + ticker + "/logs?tail=0&follow=true"))
                .header("Authorization", basic("admin", IntegrationTest.ADMIN_PASSWORD)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream body = response.body()) {
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)).readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String line = first.get(RealAgent.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).startsWith("tick ");
            assertThat(tickNumber(line)).as("written after the request (tail=0 sends no old line)").isGreaterThan(before);
        }

        HttpResponse<String> whole = get("/api/containers/" + agent.hostId + "/" + ticker + "/logs?tail=3", "admin",
                IntegrationTest.ADMIN_PASSWORD);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body().lines()).hasSize(3).allMatch(l -> l.startsWith("tick "));
    }

    @Test
    void runOverRest_createsARunningContainer_andIsAudited() throws Exception {
        String body = JSON.writeValueAsString(Map.of("image", RealAgent.IMAGE, "name", "detail-it-run",
                "cmd", List.of("sh", "-c", "exec busybox sleep 100000"), "env", List.of("DB_PASSWORD=hunter2"),
                "memory", "64m", "restartPolicy", "on-failure:2"));
        HttpResponse<String> created = post("/api/containers/" + agent.hostId, body, "admin", IntegrationTest.ADMIN_PASSWORD);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("containerId").asText();
        assertThat(agent.docker("inspect", "-f", "{{.Name}} {{.State.Running}} {{.HostConfig.Memory}} "
                + "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}", id).strip())
                .isEqualTo("/detail-it-run true 67108864 on-failure:2");
        List<Map<String, Object>> audit = jdbc.sql("SELECT result, details FROM audit_log WHERE action = 'container.run' "
                + "AND target = ?").param("host:" + agent.hostId + "/container:" + id).query().listOfRows();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("result")).isEqualTo("ok");
        assertThat((String) audit.get(0).get("details")).contains("DB_PASSWORD=…").doesNotContain("hunter2");

        HttpResponse<String> bad = post("/api/containers/" + agent.hostId,
                JSON.writeValueAsString(Map.of("image", RealAgent.IMAGE, "ports", List.of("80:99999"))), "admin",
                IntegrationTest.ADMIN_PASSWORD);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("message").asText()).contains("ports");
    }

    @Test
    void terminal_runsACommandInTheContainer_andIsAudited() throws Exception {
        signInAs("detail-it-admin", Role.ADMIN);
        try (ContainerTerminals.Session session = terminals.open(new ContainerRef(agent.hostId, quiet), List.of("sh"), 80, 24)) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                StringBuilder out = new StringBuilder();
                byte[] buffer = new byte[4096];
                try {
                    for (int n; (n = session.output().read(buffer)) >= 0; ) {
                        out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        if (out.toString().contains("hawser-42")) {
                            return out.toString();
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return out.toString();
            });
            session.write("echo hawser-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
            assertThat(seen.get(RealAgent.DEADLINE.toSeconds(), TimeUnit.SECONDS)).contains("hawser-42");
        }
        assertThat(jdbc.sql("SELECT result FROM audit_log WHERE actor = 'detail-it-admin' AND action = 'container.exec'")
                .query(String.class).list()).containsExactly("ok");
    }

    @Test
    void viewersMayNotRunOrExec_andAnotherTeamsHostIsNotFound() throws Exception {
        String run = JSON.writeValueAsString(Map.of("image", RealAgent.IMAGE));
        HttpResponse<String> denied = post("/api/containers/" + agent.hostId, run, "detail-it-viewer", PASSWORD);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(denied.body()).path("message").asText()).contains("not allowed");
        assertThat(get("/api/containers/" + agent.hostId + "/" + quiet + "/json", "detail-it-viewer", PASSWORD).statusCode())
                .as("viewers read").isEqualTo(200);

        signInAs("detail-it-viewer", Role.VIEWER);
        assertThatThrownBy(() -> terminals.open(new ContainerRef(agent.hostId, quiet), List.of("sh"), 80, 24))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(jdbc.sql("SELECT action || ':' || result FROM audit_log WHERE actor = 'detail-it-viewer' "
                + "AND action LIKE 'container.%' ORDER BY id")
                .query(String.class).list()).containsExactly("container.run:denied", "container.exec:denied");

        HttpResponse<String> hidden = get("/api/containers/" + agent.hostId + "/" + quiet + "/json", "detail-it-stranger", PASSWORD);
        assertThat(hidden.statusCode()).isEqualTo(404);
        HttpResponse<String> hiddenLogs = get("/api/containers/" + agent.hostId + "/" + ticker + "/logs?follow=true",
                "detail-it-stranger", PASSWORD);
        assertThat(hiddenLogs.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(hiddenLogs.body()).path("message").asText()).startsWith("No such host");
        assertThat(post("/api/containers/" + agent.hostId, run, "detail-it-stranger", PASSWORD).statusCode()).isEqualTo(404);
        signInAs("detail-it-stranger", Role.OPERATOR);
        assertThatThrownBy(() -> terminals.open(new ContainerRef(agent.hostId, quiet), List.of("sh"), 80, 24))
                .isInstanceOf(NotVisibleException.class);
        assertThatThrownBy(() -> details.top(new ContainerRef(agent.hostId, quiet), null)).isInstanceOf(NotVisibleException.class);
    }

    private JsonNode rest(String suffix) throws Exception {
        HttpResponse<String> r = get("/api/containers/" + agent.hostId + "/" + quiet + suffix, "admin", IntegrationTest.ADMIN_PASSWORD);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", basic(user, password)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", basic(user, password)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The top table as lines of single-spaced fields, titles first, as {@link #collapse} makes of the CLI's. */
    private static List<String> table(JsonNode top) {
        List<String> lines = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        top.path("Titles").forEach(t -> titles.add(t.asText()));
        lines.add(String.join(" ", titles));
        for (JsonNode row : top.path("Processes")) {
            List<String> fields = new ArrayList<>();
            row.forEach(f -> fields.add(f.asText().strip().replaceAll("\\s+", " ")));
            lines.add(String.join(" ", fields));
        }
        return lines;
    }

    private static List<String> collapse(String cli) {
        return cli.lines().filter(l -> !l.isBlank()).map(l -> l.strip().replaceAll("\\s+", " ")).toList();
    }

    private static List<String> changes(JsonNode diff) {
        List<String> lines = new ArrayList<>();
        for (JsonNode c : diff) {
            lines.add("CAD".charAt(c.path("Kind").asInt()) + " " + c.path("Path").asText());
        }
        return lines.stream().sorted().toList();
    }

    private static List<String> sorted(String cli) {
        return Arrays.stream(cli.split("\n")).filter(l -> !l.isBlank()).map(String::strip).sorted().toList();
    }

    private static int tickNumber(String line) {
        return Integer.parseInt(line.substring("tick ".length()).strip());
    }

    private long user(String name) {
        return jdbc.sql("INSERT INTO users (username, password_hash) VALUES (?, ?) RETURNING id")
                .params(name, passwords.encode(PASSWORD)).query(Long.class).single();
    }

    private void member(long team, long user, String role) {
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, ?)").params(team, user, role).update();
    }

    private static void signInAs(String name, Role role) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                name, null, AuthorityUtils.createAuthorityList(role.authority())));
    }
}
