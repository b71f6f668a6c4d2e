package io.hawser.console.common.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.IntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Users, teams and hosts named with one prefix for REST tests, and a real HTTP client with basic auth against the
 * test server's port. {@link #cleanUp} removes everything with the prefix, whatever the test left.
 */
public final class RestFixture {

    /** The password of every user made here (the admin's is IntegrationTest.ADMIN_PASSWORD). */
    public static final String PASSWORD = "rest-fixture-password-0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String passwordHash;

    private final JdbcClient jdbc;
    private final int port;
    private final String prefix;
    private final HttpClient http = HttpClient.newHttpClient();

    public RestFixture(JdbcClient jdbc, PasswordEncoder encoder, int port, String prefix) {
        this.jdbc = jdbc;
        this.port = port;
        this.prefix = prefix;
        synchronized (RestFixture.class) {
            if (passwordHash == null) {
                passwordHash = encoder.encode(PASSWORD);
            }
        }
    }

    public long team(String name) {
        return jdbc.sql("INSERT INTO teams (name) VALUES (?) RETURNING id").param(prefix + name).query(Long.class).single();
    }

    /** A user with {@link #PASSWORD}, member of {@code team} with {@code role} (VIEWER, OPERATOR, TEAM_ADMIN). */
    public String member(String name, long team, String role) {
        String username = user(name);
        jdbc.sql("INSERT INTO team_members (team_id, user_id, role) SELECT ?, id, ? FROM users WHERE username = ?")
                .params(team, role, username).update();
        return username;
    }

    public String user(String name) {
        String username = prefix + name;
        jdbc.sql("INSERT INTO users (username, password_hash) VALUES (?, ?)").params(username, passwordHash).update();
        return username;
    }

    public UUID host(String name, long... teams) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, ?)").params(id, prefix + name).update();
        for (long team : teams) {
            jdbc.sql("INSERT INTO host_teams (host_id, team_id) VALUES (?, ?)").params(id, team).update();
        }
        return id;
    }

    public void cleanUp() {
        String like = prefix.replace("_", "\\_") + "%";
        jdbc.sql("DELETE FROM hosts WHERE name LIKE ?").param(like).update();
        jdbc.sql("DELETE FROM teams WHERE name LIKE ?").param(like).update();
        jdbc.sql("DELETE FROM users WHERE username LIKE ?").param(like).update();
        jdbc.sql("DELETE FROM login_throttle WHERE key LIKE ?").param("%" + like).update();
    }

    /** As the admin when {@code user} is "admin", else with {@link #PASSWORD}; null user: no credentials. */
    public Answer get(String user, String path) {
        return send(user, "GET", path);
    }

    public Answer send(String user, String method, String path) {
        return send(user, method, path, null);
    }

    /** A request with a JSON body ({@code json} null: none). */
    public Answer send(String user, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            String password = user.equals("admin") ? IntegrationTest.ADMIN_PASSWORD : PASSWORD;
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer; {@link #json()} parses its body. */
    public record Answer(int status, String body, String contentType, String location) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The {@code message} of an error answer. */
        public String message() {
            return json().path("message").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
