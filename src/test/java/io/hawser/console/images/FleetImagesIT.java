package io.hawser.console.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.IntegrationTest;
import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import io.hawser.console.testing.AgentCleanup;
import io.hawser.console.testing.AgentProcess;
import io.hawser.console.testing.SignedIn;
import io.hawser.console.testing.Commands;
import io.hawser.console.testing.Tarballs;
import io.hawser.console.users.Role;
import io.hawser.console.users.UserService;
import io.hawser.console.users.Username;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Images across a fleet of two real agents, through the REST API: import (streamed), tag and remove take effect on the
 * right host as the docker CLI against that agent sees it, the fleet list tells which hosts have an image, a viewer
 * sees only their team's hosts and may change nothing, the agent's refusals come back with its status and message,
 * and every change leaves exactly one audit row.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetImagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String VIEWER_PASSWORD = "imgit-viewer-password";
    private static final String OPERATOR_PASSWORD = "imgit-operator-password";

    @LocalServerPort
    int port;
    @Autowired
    HostService hosts;
    @Autowired
    UserService users;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private Path dir;
    private AgentProcess agentA;
    private AgentProcess agentB;
    private UUID hostA;
    private UUID hostB;
    private Path tar;

    @BeforeAll
    void fleet() throws Exception {
        dir = Files.createTempDirectory("hawser-images-it");
        String console = "http://127.0.0.1:" + port;
        JoinToken token = SignedIn.asAdmin("imgit-admin", () -> hosts.createJoinToken(2, Duration.ofMinutes(30)));
        agentA = AgentProcess.create(AgentProcess.Layout.under(dir.resolve("a"), "himg"), console).tokenOnCommandLine();
        agentB = AgentProcess.create(AgentProcess.Layout.under(dir.resolve("b"), "himg"), console).tokenOnCommandLine();
        agentA.start(token.token());
        agentB.start(token.token());
        hostA = awaitOnline(agentA);
        hostB = awaitOnline(agentB);
        long team = jdbc.sql("INSERT INTO teams (name) VALUES ('imgit-ops') RETURNING id").query(Long.class).single();
        jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(hostA, team).update();
        SignedIn.asAdmin("imgit-admin", () -> {
            users.create(new Username("imgit-viewer"), VIEWER_PASSWORD, Set.of(Role.VIEWER));
            users.create(new Username("imgit-operator"), OPERATOR_PASSWORD, Set.of(Role.OPERATOR));
            return null;
        });
        for (String[] member : new String[][] {{"imgit-viewer", "VIEWER"}, {"imgit-operator", "OPERATOR"}}) {
            jdbc.sql("INSERT INTO team_members (team_id, user_id, role) SELECT ?, id, ? FROM users WHERE username = ?")
                    .params(team, member[1], member[0]).update();
        }
        tar = Tarballs.busybox(dir, "busybox", 0);
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            List<Exception> failures = new ArrayList<>();
            for (AgentProcess agent : new AgentProcess[] {agentA, agentB}) {
                if (agent != null) {
                    AgentProcess.attempt(failures, agent::close);
                }
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
        } finally {
            SecurityContextHolder.clearContext();
            jdbc.sql("DELETE FROM hosts WHERE id IN (?, ?)").params(hostA, hostB).update();
            jdbc.sql("DELETE FROM teams WHERE name LIKE 'imgit-%'").update();
            jdbc.sql("DELETE FROM users WHERE username LIKE 'imgit-%'").update();
            AgentCleanup.deleteTree(dir);
        }
    }

    @Test
    void importTagAndRemove_overRest_takeEffectOnTheHost_andInTheFleetList() throws Exception {
        String admin = basic("admin", IntegrationTest.ADMIN_PASSWORD);
        long auditBefore = auditCount();

        HttpResponse<String> imported = send("POST", "/api/hosts/" + hostA + "/images/import?repo=imgit/busy&tag=1",
                HttpRequest.BodyPublishers.ofFile(tar), admin);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        JsonNode result = JSON.readTree(imported.body());
        String imageId = result.path("imageId").asText();
        assertThat(imageId).startsWith("sha256:");
        assertThat(result.path("repoTag").asText()).isEqualTo("imgit/busy:1");
        assertThat(result.path("bytes").asLong()).isEqualTo(Files.size(tar));
        assertThat(agentA.docker("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"))
                .contains("imgit/busy:1 " + imageId);
        assertThat(agentB.docker("images", "--format", "{{.Repository}}:{{.Tag}}")).doesNotContain("imgit/busy");
        assertThat(hostsOf("imgit/busy:1", imageId, admin)).as("the inventory follows at once").containsExactly(hostA);

        // The same image (same id) onto the second host, as docker save | docker load moves it.
        Path saved = dir.resolve("saved.tar");
        agentA.docker("save", "-o", saved.toString(), "imgit/busy:1");
        agentB.docker("load", "-i", saved.toString());
        awaitTrue("host B's load reaches the inventory", () -> hostsOf("imgit/busy:1", imageId, admin).size() == 2);
        assertThat(hostsOf("imgit/busy:1", imageId, admin)).containsExactlyInAnyOrder(hostA, hostB);
        JsonNode onB = JSON.readTree(send("GET", "/api/images?name=imgit/busy&host=" + hostB, null, admin).body());
        assertThat(onB).extracting(n -> n.path("repoTag").asText()).containsExactly("imgit/busy:1");
        assertThat(JSON.readTree(send("GET", "/api/hosts/" + hostB + "/images", null, admin).body()))
                .extracting(n -> n.path("imageId").asText()).contains(imageId);

        HttpResponse<String> tagged = send("POST", "/api/hosts/" + hostA + "/images/imgit/busy:1/tag?repo=imgit/renamed&tag=2",
                HttpRequest.BodyPublishers.noBody(), admin);
        assertThat(tagged.statusCode()).as(tagged.body()).isEqualTo(201);
        assertThat(agentA.docker("images", "--format", "{{.Repository}}:{{.Tag}}")).contains("imgit/renamed:2");
        assertThat(hostsOf("imgit/renamed:2", imageId, admin)).containsExactly(hostA);

        HttpResponse<String> removed = send("DELETE", "/api/hosts/" + hostA + "/images/imgit/renamed:2", null, admin);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(JSON.readTree(removed.body()).findValuesAsText("Untagged")).containsExactly("imgit/renamed:2");
        assertThat(agentA.docker("images", "--format", "{{.Repository}}:{{.Tag}}")).doesNotContain("imgit/renamed");
        assertThat(hostsOf("imgit/renamed:2", imageId, admin)).isEmpty();

        assertThat(jdbc.sql("SELECT action || ' ' || target || ' ' || result FROM audit_log WHERE id > ? AND actor = 'admin' "
                        + "AND action LIKE 'image.%' ORDER BY id").param(auditBefore).query(String.class).list())
                .containsExactly(
                        "image.import host:" + hostA + "/image:imgit/busy:1 ok",
                        "image.tag host:" + hostA + "/image:imgit/busy:1 ok",
                        "image.remove host:" + hostA + "/image:imgit/renamed:2 ok");
    }

    @Test
    void aViewer_seesOnlyTheTeamsHosts_andMayChangeNothing() throws Exception {
        String admin = basic("admin", IntegrationTest.ADMIN_PASSWORD);
        importOn(hostA, "imgit/viewer-a", admin);
        importOn(hostB, "imgit/viewer-b", admin);
        String viewer = basic("imgit-viewer", VIEWER_PASSWORD);

        JsonNode seen = JSON.readTree(send("GET", "/api/images?name=imgit/viewer-", null, viewer).body());
        assertThat(seen).extracting(n -> n.path("repoTag").asText()).containsExactly("imgit/viewer-a:latest");
        assertThat(send("GET", "/api/hosts/" + hostB + "/images", null, viewer).statusCode()).isEqualTo(404);

        long before = auditCount();
        HttpResponse<String> refused = send("DELETE", "/api/hosts/" + hostA + "/images/imgit/viewer-a", null, viewer);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("may not change images");
        HttpResponse<String> hidden = send("POST", "/api/hosts/" + hostB + "/images/imgit/viewer-b/tag?repo=x",
                HttpRequest.BodyPublishers.noBody(), viewer);
        assertThat(hidden.statusCode()).as("another team's host is as good as absent").isEqualTo(404);
        HttpResponse<String> importRefused = send("POST", "/api/hosts/" + hostA + "/images/import",
                HttpRequest.BodyPublishers.ofFile(tar), viewer);
        assertThat(importRefused.statusCode()).isEqualTo(403);
        assertThat(agentA.docker("images", "--format", "{{.Repository}}")).contains("imgit/viewer-a");
        assertThat(auditSince(before, "imgit-viewer")).containsExactly(
                "image.remove host:" + hostA + "/image:imgit/viewer-a denied",
                "image.tag host:" + hostB + "/image:imgit/viewer-b denied",
                "image.import host:" + hostA + "/image:- denied");

        // The team's operator may.
        String operator = basic("imgit-operator", OPERATOR_PASSWORD);
        assertThat(send("DELETE", "/api/hosts/" + hostA + "/images/imgit/viewer-a", null, operator).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/api/hosts/" + hostB + "/images/imgit/viewer-b", null, operator).statusCode()).isEqualTo(404);
        assertThat(auditSince(before, "imgit-operator")).containsExactly(
                "image.remove host:" + hostA + "/image:imgit/viewer-a ok",
                "image.remove host:" + hostB + "/image:imgit/viewer-b denied");
    }

    @Test
    void removingAnImageInUse_givesTheAgentsConflict() throws Exception {
        String admin = basic("admin", IntegrationTest.ADMIN_PASSWORD);
        importOn(hostA, "imgit/used", admin);
        String container = agentA.docker("create", "--name", "imgit-user", "imgit/used", "true").strip();
        try {
            long before = auditCount();
            HttpResponse<String> conflict = send("DELETE", "/api/hosts/" + hostA + "/images/imgit/used", null, admin);
            assertThat(conflict.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(conflict.body()).path("message").asText())
                    .contains("imgit/used").contains(container.substring(0, 12));
            assertThat(agentA.docker("images", "--format", "{{.Repository}}")).contains("imgit/used");
            assertThat(auditSince(before, "admin")).containsExactly("image.remove host:" + hostA + "/image:imgit/used failed");
        } finally {
            agentA.docker("rm", "-f", container);
        }
    }

    @Test
    void garbageAndHostileTarballs_getAClear4xx() throws Exception {
        String admin = basic("admin", IntegrationTest.ADMIN_PASSWORD);
        long before = auditCount();
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(garbage);
        HttpResponse<String> bad = send("POST", "/api/hosts/" + hostA + "/images/import?repo=imgit/garbage",
                HttpRequest.BodyPublishers.ofByteArray(garbage), admin);
        assertThat(bad.statusCode()).as(bad.body()).isBetween(400, 499);
        String message = JSON.readTree(bad.body()).path("message").asText();
        assertThat(message).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");

        // A good start (more than the agent reads before it first reports progress), then the end: truncated.
        Path big = Tarballs.busybox(dir, "big", 2 * 1024 * 1024);
        byte[] good = Files.readAllBytes(big);
        byte[] broken = java.util.Arrays.copyOf(good, (good.length / 2) & ~511); // ends inside the 2 MiB file
        HttpResponse<String> late = send("POST", "/api/hosts/" + hostA + "/images/import?repo=imgit/broken",
                HttpRequest.BodyPublishers.ofByteArray(broken), admin);
        assertThat(late.statusCode()).as(late.body()).isEqualTo(400);
        assertThat(JSON.readTree(late.body()).path("message").asText()).isEqualTo("the archive is truncated inside an entry's data");

        HttpResponse<String> hostile = send("POST", "/api/hosts/" + hostA + "/images/import?repo=imgit/hostile",
                HttpRequest.BodyPublishers.ofFile(hostileTar(dir)), admin);
        assertThat(hostile.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(hostile.body()).path("message").asText())
                .isEqualTo("refusing tar entry '../../evil': path escapes the layer");

        HttpResponse<String> badName = send("DELETE", "/api/hosts/" + hostA + "/images/a%20b", null, admin);
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badName.body()).path("message").asText()).startsWith("not an image name or id");

        assertThat(agentA.docker("images", "--format", "{{.Repository}}")).doesNotContain("imgit/garbage").doesNotContain("imgit/broken")
                .doesNotContain("imgit/hostile");
        assertThat(auditSince(before, "admin")).containsExactly(
                "image.import host:" + hostA + "/image:imgit/garbage failed",
                "image.import host:" + hostA + "/image:imgit/broken failed",
                "image.import host:" + hostA + "/image:imgit/hostile failed",
                "image.remove host:" + hostA + "/image:a b failed");
    }

    @Test
    void aStreamedImport_largerThanTheTunnelsWindow_arrivesWhole() throws Exception {
        String admin = basic("admin", IntegrationTest.ADMIN_PASSWORD);
        Path big = Tarballs.busybox(dir, "large", 24 * 1024 * 1024);
        // Chunked (no Content-Length), as a script piping a tarball would send it.
        HttpResponse<String> imported = send("POST", "/api/hosts/" + hostB + "/images/import?repo=imgit/large",
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return Files.newInputStream(big);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), admin);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat(JSON.readTree(imported.body()).path("bytes").asLong()).isEqualTo(Files.size(big));
        String size = agentB.docker("image", "inspect", "--format", "{{.Size}}", "imgit/large").strip();
        assertThat(Long.parseLong(size)).isGreaterThan(24L * 1024 * 1024);
        agentB.docker("rmi", "imgit/large");
    }

    private void importOn(UUID host, String repo, String auth) throws Exception {
        HttpResponse<String> r = send("POST", "/api/hosts/" + host + "/images/import?repo=" + repo,
                HttpRequest.BodyPublishers.ofFile(tar), auth);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private List<UUID> hostsOf(String repoTag, String imageId, String auth) throws Exception {
        JsonNode list = JSON.readTree(send("GET", "/api/images?name=" + repoTag, null, auth).body());
        List<UUID> out = new ArrayList<>();
        for (JsonNode image : list) {
            if (image.path("repoTag").asText().equals(repoTag) && image.path("imageId").asText().equals(imageId)) {
                image.path("hosts").forEach(h -> out.add(UUID.fromString(h.path("id").asText())));
            }
        }
        return out;
    }

    private long auditCount() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM audit_log").query(Long.class).single();
    }

    private List<String> auditSince(long id, String actor) {
        return jdbc.sql("SELECT action || ' ' || target || ' ' || result FROM audit_log WHERE id > ? AND actor = ? "
                + "AND action LIKE 'image.%' ORDER BY id").params(id, actor).query(String.class).list();
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", auth).timeout(DEADLINE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (body != null) {
            b.header("Content-Type", "application/x-tar");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private UUID awaitOnline(AgentProcess agent) throws Exception {
        awaitTrue("agent enrolled and online", () -> {
            UUID id = agent.hostId();
            return id != null && jdbc.sql("SELECT count(*) FROM hosts WHERE id = ? AND status = 'ONLINE'").param(id)
                    .query(Long.class).single() == 1;
        }, agent);
        return agent.hostId();
    }

    private void awaitTrue(String what, Callable<Boolean> condition) throws Exception {
        awaitTrue(what, condition, null);
    }

    private void awaitTrue(String what, Callable<Boolean> condition, AgentProcess agent) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                String log = agent == null ? "" : "\n" + agent.log();
                throw new AssertionError("not within " + DEADLINE + ": " + what + log);
            }
            Thread.sleep(100);
        }
    }

    /** A tarball whose one entry climbs out of the root ({@code ../../evil}), as an attacker would make it. */
    private static Path hostileTar(Path dir) throws Exception {
        Path tar = dir.resolve("hostile.tar");
        Commands.run(List.of("python3", "-c", """
                import io, sys, tarfile
                with tarfile.open(sys.argv[1], 'w') as t:
                    i = tarfile.TarInfo('../../evil'); i.size = 4; t.addfile(i, io.BytesIO(b'evil'))
                """, tar.toString()));
        return tar;
    }
}
