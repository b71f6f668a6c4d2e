package io.hawser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hawser.agent.api.http.RawHttpClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent as a separate process, driven by the real docker CLI: the acceptance test that
 * it speaks enough of the Docker Engine API for {@code docker version}. The last test stops it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentDockerCliIT {

    private static final String VERSION = System.getProperty("hawser.expected.version");

    @TempDir
    static Path tmp;
    private AgentProcess agent;

    @BeforeAll
    void startAgent() throws Exception {
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent.log"));
    }

    @AfterAll
    void stopAgent() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    @Order(1)
    void start_logsOneListeningLine() throws IOException {
        assertThat(agent.log()).contains("hawser-agent " + VERSION + " listening on unix://" + agent.socket
                + ", data root " + agent.dataRoot);
    }

    @Test
    @Order(2)
    void socket_hasMode0660() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.socket))).isEqualTo("rw-rw----");
    }

    @Test
    @Order(3)
    void start_installsTheShimIntoTheDataRoot() throws IOException {
        Path shim = agent.dataRoot.resolve("bin/hawser-shim");
        assertThat(shim).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shim))).isEqualTo("rwxr-xr-x");
        assertThat(agent.log()).contains("hawser-shim installed at " + shim);
    }

    @Test
    @Order(4)
    void dockerVersion_showsTheAgentAsServer() throws Exception {
        Path docker = findOnPath("docker");
        assumeTrue(docker != null, "the docker CLI is not on PATH on this machine");
        Path out = tmp.resolve("docker-version.out");
        ProcessBuilder pb = new ProcessBuilder(docker.toString(), "-H", "unix://" + agent.socket, "version")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        List.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY").forEach(env::remove);
        env.put("DOCKER_CONFIG", Files.createDirectories(tmp.resolve("docker-config")).toString());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(AgentProcess.START_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("docker version finished").isTrue();
            String output = Files.readString(out);
            assertThat(p.exitValue()).as(output).isZero();
            String server = output.substring(output.indexOf("Server:"));
            assertThat(server).startsWith("Server: Hawser");
            assertThat(server).containsPattern("Engine:\\s+Version:\\s+" + java.util.regex.Pattern.quote(VERSION) + "\\n");
            assertThat(server).containsPattern("API version:\\s+1\\.47 \\(minimum version 1\\.41\\)");
            assertThat(server).containsPattern("OS/Arch:\\s+linux/");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @Order(5)
    void headPing_carriesDockerdsHeadersAndNoBody() throws IOException {
        try (RawHttpClient client = RawHttpClient.connect(agent.socket)) {
            RawHttpClient.Response r = client.request("HEAD", "/_ping");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Api-Version")).isEqualTo("1.47");
            assertThat(r.header("Docker-Experimental")).isEqualTo("false");
            assertThat(r.header("Ostype")).isEqualTo("linux");
            assertThat(r.header("Server")).isEqualTo("Hawser/" + VERSION + " (linux)");
            assertThat(r.header("Cache-Control")).isEqualTo("no-cache, no-store, must-revalidate");
            assertThat(r.header("Pragma")).isEqualTo("no-cache");
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.header("Content-Length")).isEqualTo("0");
            assertThat(r.header("Date")).endsWith(" GMT");
            // Same connection: a body after the HEAD response would be misread as this response.
            assertThat(client.request("GET", "/_ping").bodyText()).isEqualTo("OK");
        }
    }

    @Test
    @Order(6)
    void secondAgentOnTheSameSocket_refusesToStart() throws Exception {
        try (AgentProcess second = AgentProcess.launch(tmp.resolve("data2"), agent.socket, tmp.resolve("second.log"))) {
            assertThat(second.awaitExit()).isEqualTo(1);
            assertThat(second.log()).contains("another process is already serving on unix socket " + agent.socket);
        }
        assertThat(AgentProcess.accepts(agent.socket)).as("first agent still serving").isTrue();
    }

    @Test
    @Order(100)
    void sigterm_stopsTheAgentAndRemovesTheSocket() throws Exception {
        agent.terminate();
        assertThat(agent.socket).doesNotExist();
    }

    private static Path findOnPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
