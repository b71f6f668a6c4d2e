package io.hawser.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the link reports, against a fake Engine API on a unix socket that answers canned JSON per request target
 * (404 "page not found" for anything else, as the agent does for endpoints it lacks).
 */
class HostReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private Path dir;
    private ServerSocketChannel server;
    private HostReport report;

    @BeforeEach
    void fakeApi() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "hr-");
        Path socket = dir.resolve("api.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread accept = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    answer(c);
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        report = new HostReport(new LocalApi(socket), "1.2.3");
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        Files.deleteIfExists(dir.resolve("api.sock"));
        Files.deleteIfExists(dir);
    }

    private void answer(SocketChannel c) throws IOException {
        InputStream in = Channels.newInputStream(c);
        String requestLine = LocalApi.readLine(in);
        String line;
        while ((line = LocalApi.readLine(in)) != null && !line.isEmpty()) {
            // headers
        }
        String target = requestLine.split(" ")[1];
        String body = answers.get(target);
        String response;
        if (body == null) {
            response = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n"
                    + "{\"message\":\"page not found\"}\n";
        } else {
            // chunked, as the agent streams lists and events
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(bytes.length) + "\r\n" + body + "\r\n0\r\n\r\n";
        }
        c.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void hello_withoutInfo_fallsBackToVersionAndTheKernelsFiles() throws Exception {
        answers.put("/version", "{\"Version\":\"1.2.3\",\"KernelVersion\":\"6.1.0-test\"}");
        ObjectNode hello = report.hello();
        assertThat(hello.path("type").asText()).isEqualTo("hello");
        assertThat(hello.path("agentVersion").asText()).isEqualTo("1.2.3");
        JsonNode facts = hello.path("facts");
        assertThat(facts.path("kernelVersion").asText()).isEqualTo("6.1.0-test");
        assertThat(facts.path("cpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(facts.path("memoryBytes").asLong()).isPositive();
        assertThat(facts.path("cgroupVersion").asText()).isIn("1", "2");
    }

    @Test
    void hello_fromInfo() throws Exception {
        answers.put("/info", "{\"Name\":\"web-1\",\"KernelVersion\":\"6.1\",\"OperatingSystem\":\"Debian\",\"CgroupVersion\":\"2\","
                + "\"NCPU\":8,\"MemTotal\":1024}");
        JsonNode facts = report.hello().path("facts");
        assertThat(facts.path("hostname").asText()).isEqualTo("web-1");
        assertThat(facts.path("operatingSystem").asText()).isEqualTo("Debian");
        assertThat(facts.path("cgroupVersion").asText()).isEqualTo("2");
        assertThat(facts.path("cpus").asInt()).isEqualTo(8);
        assertThat(facts.path("memoryBytes").asLong()).isEqualTo(1024);
    }

    @Test
    void inventory_withoutContainerEndpoints_isImagesOnly() throws Exception {
        answers.put("/images/json", "[{\"Id\":\"sha256:1\",\"RepoTags\":[\"a:1\"]}]");
        ObjectNode inventory = report.inventory();
        assertThat(inventory.path("containers").isArray()).isTrue();
        assertThat(inventory.path("containers")).isEmpty();
        assertThat(inventory.path("images").path(0).path("Id").asText()).isEqualTo("sha256:1");
    }

    @Test
    void event_carriesTheContainersRow_orSaysItIsGone_orTheImages() throws Exception {
        String filter = "/containers/json?all=1&filters=%7B%22id%22%3A%5B%22abc%22%5D%7D";
        answers.put(filter, "[{\"Id\":\"abc\",\"State\":\"running\"}]");
        JsonNode start = report.event(JSON.readTree("{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"abc\"}}"));
        assertThat(start.path("container").path("State").asText()).isEqualTo("running");
        assertThat(start.path("event").path("Action").asText()).isEqualTo("start");

        answers.put(filter, "[]");
        assertThat(report.event(JSON.readTree("{\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":{\"ID\":\"abc\"}}"))
                .path("containerGone").asBoolean()).isTrue();

        answers.put("/images/json", "[{\"Id\":\"sha256:9\"}]");
        JsonNode tag = report.event(JSON.readTree("{\"Type\":\"image\",\"Action\":\"tag\",\"Actor\":{\"ID\":\"sha256:9\"}}"));
        assertThat(tag.path("images").path(0).path("Id").asText()).isEqualTo("sha256:9");
        assertThat(tag.has("container")).isFalse();
    }

    @Test
    void stats_cpuPercentFromTheDifferenceOfTwoSamples_asTheDockerCliComputesIt() throws Exception {
        answers.put("/containers/json", "[{\"Id\":\"c1\"}]");
        answers.put("/containers/c1/stats?stream=0&one-shot=true", stats(1_000, 10_000));
        JsonNode first = report.stats();
        assertThat(first.path("stats").path(0).has("cpuPercent")).as("no previous sample yet").isFalse();
        assertThat(first.path("stats").path(0).path("memoryUsage").asLong()).isEqualTo(300);
        assertThat(first.path("stats").path(0).path("memoryLimit").asLong()).isEqualTo(1000);

        answers.put("/containers/c1/stats?stream=0&one-shot=true", stats(1_500, 12_000));
        // (1500-1000) / (12000-10000) * 2 CPUs * 100
        assertThat(report.stats().path("stats").path(0).path("cpuPercent").asDouble()).isEqualTo(50.0);

        answers.remove("/containers/json");
        assertThat(report.stats()).as("no container endpoint: nothing to report").isNull();
    }

    private static String stats(long total, long system) {
        return "{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":" + total + "},\"system_cpu_usage\":" + system
                + ",\"online_cpus\":2},\"memory_stats\":{\"usage\":300,\"limit\":1000}}";
    }
}
