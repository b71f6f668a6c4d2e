package io.hawser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.api.http.HttpServer;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.api.http.RawHttpClient;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.sys.HostInfo;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Routing, version negotiation and the two system endpoints, through a real socket. */
@Timeout(60)
class EngineApiTest {

    private static final BuildInfo BUILD = new BuildInfo("9.8.7", "2026-01-02T03:04:05Z", "abc123def456");
    private static final HostInfo HOST = new HostInfo("linux", "amd64", "6.1.0-test");

    @TempDir
    Path tmp;
    private HttpServer server;
    private RawHttpClient client;

    @BeforeEach
    void start() throws IOException {
        EngineApi api = EngineApi.standardRoutes(BUILD, HOST)
                .route("GET", "/containers/{id}/json", call -> call.exchange().sendText(200,
                        call.pathParam("id") + "@" + call.version()))
                .route("GET", "/containers/{id}/missing", call -> {
                    throw AgentException.notFound("No such container: " + call.pathParam("id"));
                })
                .build();
        server = HttpServer.bind(tmp.resolve("api.sock"), api, EngineApi.defaultHeaders(BUILD));
        server.start();
        client = RawHttpClient.connect(server.socketPath());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void ping_answersOkWithDockerdsHeaders() throws IOException {
        RawHttpClient.Response r = client.request("GET", "/_ping");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("OK");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("Api-Version")).isEqualTo("1.47");
        assertThat(r.header("Docker-Experimental")).isEqualTo("false");
        assertThat(r.header("Ostype")).isEqualTo("linux");
        assertThat(r.header("Server")).isEqualTo("Hawser/9.8.7 (linux)");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache, no-store, must-revalidate");
        assertThat(r.header("Pragma")).isEqualTo("no-cache");
    }

    @Test
    void headPing_hasZeroLengthAndNoBody() throws IOException {
        RawHttpClient.Response r = client.request("HEAD", "/v1.47/_ping");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo("0");
        assertThat(client.request("GET", "/_ping").bodyText()).isEqualTo("OK");
    }

    @Test
    void version_reportsBuildAndHost() throws IOException {
        RawHttpClient.Response r = client.request("GET", "/v1.41/version");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        JsonNode v = Json.MAPPER.readTree(r.body());
        assertThat(v.path("Platform").path("Name").asText()).isEqualTo("Hawser");
        assertThat(v.path("Version").asText()).isEqualTo("9.8.7");
        assertThat(v.path("ApiVersion").asText()).isEqualTo("1.47");
        assertThat(v.path("MinAPIVersion").asText()).isEqualTo("1.41");
        assertThat(v.path("Os").asText()).isEqualTo("linux");
        assertThat(v.path("Arch").asText()).isEqualTo("amd64");
        assertThat(v.path("KernelVersion").asText()).isEqualTo("6.1.0-test");
        assertThat(v.path("BuildTime").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(v.path("GitCommit").asText()).isEqualTo("abc123def456");
        assertThat(v.has("GoVersion")).as("not faked").isFalse();
        JsonNode engine = v.path("Components").get(0);
        assertThat(engine.path("Name").asText()).isEqualTo("Engine");
        assertThat(engine.path("Version").asText()).isEqualTo("9.8.7");
        assertThat(engine.path("Details").path("ApiVersion").asText()).isEqualTo("1.47");
        assertThat(engine.path("Details").path("MinAPIVersion").asText()).isEqualTo("1.41");
        assertThat(engine.path("Details").path("Experimental").asText()).isEqualTo("false");
    }

    @Test
    void versionPrefix_outsideTheRange_is400WithDockerdsMessage() throws IOException {
        RawHttpClient.Response tooNew = client.request("GET", "/v1.99/version");
        assertThat(tooNew.status()).isEqualTo(400);
        assertThat(tooNew.header("Content-Type")).isEqualTo("application/json");
        assertThat(tooNew.header("Api-Version")).isEqualTo("1.47");
        assertThat(tooNew.bodyText())
                .isEqualTo("{\"message\":\"client version 1.99 is too new. Maximum supported API version is 1.47\"}");
        assertThat(client.request("GET", "/v1.12/_ping").bodyText()).isEqualTo("{\"message\":\"client version 1.12 is too old. "
                + "Minimum supported API version is 1.41, please upgrade your client to a newer version\"}");
    }

    @Test
    void unknownRoute_is404PageNotFound_whateverTheVersion() throws IOException {
        for (String path : new String[] {"/nope", "/v1.47/nope", "/v1.99/nope", "/vx/version", "/version/extra"}) {
            RawHttpClient.Response r = client.request("GET", path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.bodyText()).as(path).isEqualTo("{\"message\":\"page not found\"}");
        }
        assertThat(client.request("POST", "/version").status()).isEqualTo(404);
    }

    @Test
    void pathTemplates_passVariablesAndTheNegotiatedVersion() throws IOException {
        assertThat(client.request("GET", "/v1.44/containers/abc/json").bodyText()).isEqualTo("abc@1.44");
        assertThat(client.request("GET", "/containers/abc/json").bodyText()).isEqualTo("abc@1.47");
        RawHttpClient.Response missing = client.request("GET", "/containers/nosuch/missing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText()).isEqualTo("{\"message\":\"No such container: nosuch\"}");
    }
}
