package io.hawser.console.common.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.console.IntegrationTest;
import io.hawser.console.common.api.RestFixture.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/** /api/openapi.json describes the REST API: every path, the security schemes, the error shape; behind basic auth. */
@IntegrationTest
class OpenApiIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;

    RestFixture fx;

    @BeforeEach
    void fixture() {
        fx = new RestFixture(jdbc, encoder, port, "oapi-");
    }

    @AfterEach
    void cleanUp() {
        fx.cleanUp();
    }

    @Test
    void describesEveryApiPath_withBasicAndBearer() {
        Answer a = fx.get(fx.user("reader"), "/api/openapi.json");
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        JsonNode api = a.json();
        assertThat(api.path("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        api.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/hosts", "/api/hosts/{id}", "/api/containers",
                "/api/containers/{hostId}/{containerId}", "/api/containers/{hostId}/{containerId}/start",
                "/api/containers/{hostId}/{containerId}/stop", "/api/containers/{hostId}/{containerId}/restart",
                "/api/containers/{hostId}/{containerId}/kill", "/api/events");
        assertThat(paths).as("only the API for scripts; not the agents' enrollment").allMatch(p -> p.startsWith("/api/"))
                .doesNotContain("/api/agent/enroll");
        assertThat(api.path("paths").path("/api/containers/{hostId}/{containerId}").has("delete")).isTrue();
        JsonNode list = api.path("paths").path("/api/containers").path("get");
        List<String> params = new ArrayList<>();
        list.path("parameters").forEach(p -> params.add(p.path("name").asText()));
        assertThat(params).containsExactlyInAnyOrder("host", "state", "image", "name", "label", "q", "sort", "offset", "limit");
        assertThat(list.path("responses").path("401").path("content").path("application/json").path("schema")
                .path("$ref").asText()).isEqualTo("#/components/schemas/Error");

        JsonNode schemes = api.path("components").path("securitySchemes");
        assertThat(schemes.path("basicAuth").path("scheme").asText()).isEqualTo("basic");
        assertThat(schemes.path("bearerAuth").path("scheme").asText()).isEqualTo("bearer");
        assertThat(api.path("components").path("schemas").path("FleetContainer").path("properties").has("hostId")).isTrue();
        assertThat(api.path("components").path("schemas").path("FleetEvent").path("properties").has("actorName")).isTrue();
    }

    @Test
    void needsCredentials_andTheUiIsServed() {
        Answer anonymous = fx.get(null, "/api/openapi.json");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.message()).isEqualTo("authentication required");

        Answer entry = fx.get("admin", "/api/docs");
        assertThat(entry.status()).as(entry.toString()).isEqualTo(302);
        String location = java.net.URI.create(entry.location()).getPath();
        assertThat(location).startsWith("/api/");
        Answer ui = fx.get("admin", location);
        assertThat(ui.status()).as(ui.toString()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    @Test
    void anUnknownPathOrMethod_answersWithAMessageLikeEveryOtherError() {
        String reader = fx.user("lost");
        Answer unknown = fx.get(reader, "/api/no-such-endpoint");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("page not found");
        Answer method = fx.send(reader, "PUT", "/api/hosts");
        assertThat(method.status()).as(method.toString()).isEqualTo(405);
        assertThat(method.message()).isEqualTo("method PUT is not allowed here");
    }
}
