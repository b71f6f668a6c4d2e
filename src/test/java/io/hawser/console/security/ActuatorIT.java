package io.hawser.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.console.IntegrationTest;
import io.hawser.console.users.Role;
import io.hawser.console.users.UserService;
import io.hawser.console.users.Username;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** The actuator over real HTTP: health is public, metrics are for admins only. */
@IntegrationTest
class ActuatorIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    UserService users;

    @Test
    void health_isPublic() throws Exception {
        HttpResponse<String> response = get("/actuator/health", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheus_needsASignIn() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("jvm_");
    }

    @Test
    void prometheus_servesAnAdmin() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus", basic("admin", IntegrationTest.ADMIN_PASSWORD));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes", "hikaricp_connections");
    }

    @Test
    void prometheusAndOtherEndpoints_refuseANonAdmin() throws Exception {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                "test-admin", null, AuthorityUtils.createAuthorityList(Role.ADMIN.authority())));
        try {
            users.create(new Username("metrics-viewer"), "metrics-viewer-password", Set.of(Role.VIEWER));
        } finally {
            SecurityContextHolder.clearContext();
        }
        String viewer = basic("metrics-viewer", "metrics-viewer-password");

        assertThat(get("/actuator/prometheus", viewer).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/metrics", viewer).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/health", viewer).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownEndpoint_isA404_notAPage() throws Exception {
        HttpResponse<String> response = get("/actuator/no-such-thing", basic("admin", IntegrationTest.ADMIN_PASSWORD));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("<html");
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
