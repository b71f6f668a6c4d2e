package io.hawser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.storage.TarWriter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker import}, {@code images}, {@code image inspect}, {@code history}, {@code tag} and {@code rmi}
 * with the real docker CLI against the packaged agent, on a busybox-static image built here; hostile
 * tarballs are refused with nothing written outside the store and nothing left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagesDockerCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Captured from dockerd 20.10 (shared/reference/dockerd-20.10), copied as test fixtures. */
    private static final Path REFERENCE = Path.of("src/test/resources/dockerd-20.10");

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;

    record Result(int exit, String out) {}

    @BeforeAll
    void start() throws Exception {
        docker = findOnPath("docker");
        assumeTrue(docker != null, "the docker CLI is not on PATH on this machine");
        assumeTrue(BusyboxImage.available(), "busybox-static is not installed (apt-get install busybox-static)");
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent.log"));
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    @Order(1)
    void import_printsTheIdAndAppliesChanges() throws Exception {
        Path tar = BusyboxImage.write(tmp.resolve("busybox.tar"));
        Result r = docker("import", "-c", "CMD [\"sh\"]", "-c", "ENV A=b", "-c", "LABEL team=ops", "-m", "busybox for tests",
                tar.toString(), "bb:1");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out().strip()).matches("sha256:[0-9a-f]{64}");
        JsonNode inspect = JSON.readTree(docker("image", "inspect", "bb:1").out()).get(0);
        assertThat(inspect.get("Id").asText()).isEqualTo(r.out().strip());
        assertThat(inspect.at("/Config/Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(inspect.at("/Config/Env").toString()).isEqualTo("[\"A=b\"]");
        assertThat(inspect.at("/Config/Labels/team").asText()).isEqualTo("ops");
        assertThat(inspect.get("Comment").asText()).isEqualTo("busybox for tests");
        assertThat(inspect.at("/RootFS/Type").asText()).isEqualTo("layers");
        assertThat(inspect.at("/RootFS/Layers").size()).isEqualTo(1);
        assertThat(inspect.get("Size").asLong()).isGreaterThan(Files.size(BusyboxImage.BUSYBOX) - 1);
        assertThat(inspect.get("Os").asText()).isEqualTo("linux");
    }

    @Test
    @Order(2)
    void inspect_hasDockerdsFields() throws Exception {
        JsonNode ours = JSON.readTree(docker("image", "inspect", "bb:1").out()).get(0);
        JsonNode reference = JSON.readTree(REFERENCE.resolve("image-inspect.json").toFile());
        assertThat(fieldNames(ours)).containsAll(fieldNames(reference));
        assertThat(fieldNames(ours.get("Config"))).containsAll(fieldNames(reference.get("Config")));
        String layer = ours.at("/RootFS/Layers/0").asText();
        Path snapshot = agent.dataRoot.resolve("image/snapshots/" + layer.substring("sha256:".length()));
        assertThat(ours.at("/GraphDriver/Data/LowerDir").asText()).isEqualTo(snapshot.toString());
        assertThat(snapshot.resolve("bin/busybox")).isRegularFile();
        assertThat(Files.readSymbolicLink(snapshot.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
    }

    @Test
    @Order(3)
    void images_listsTheImportedImage() throws Exception {
        Result r = docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}");
        assertThat(r.out().strip()).matches("bb:1 [0-9a-f]{12} [0-9.]+MB");
        JsonNode list = JSON.readTree(get("/images/json"));
        JsonNode reference = JSON.readTree(REFERENCE.resolve("images-list.json").toFile());
        assertThat(fieldNames(list.get(0))).containsExactlyElementsOf(fieldNames(reference.get(0)));
        assertThat(list.get(0).get("RepoTags").toString()).isEqualTo("[\"bb:1\"]");
    }

    @Test
    @Order(4)
    void tagAndHistory_showBothTags() throws Exception {
        assertThat(docker("tag", "bb:1", "example.com:5000/team/bb:2").exit()).isZero();
        assertThat(docker("images", "--format", "{{.Repository}}:{{.Tag}}").out().lines().sorted().toList())
                .containsExactly("bb:1", "example.com:5000/team/bb:2");
        assertThat(docker("images", "--filter", "reference=bb", "--format", "{{.Repository}}:{{.Tag}}").out().strip()).isEqualTo("bb:1");
        JsonNode history = JSON.readTree(get("/images/bb:1/history"));
        JsonNode reference = JSON.readTree(REFERENCE.resolve("image-history.json").toFile());
        assertThat(fieldNames(history.get(0))).containsExactlyElementsOf(fieldNames(reference.get(0)));
        assertThat(history.get(0).get("Comment").asText()).isEqualTo("busybox for tests");
        assertThat(docker("history", "bb:1").out()).contains("busybox for tests");
    }

    @Test
    @Order(5)
    void rmi_untagsThenDeletesWithTheLastTag() throws Exception {
        Result missing = docker("rmi", "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("No such image: nope:latest");
        assertThat(docker("rmi", "example.com:5000/team/bb:2").out().strip()).isEqualTo("Untagged: example.com:5000/team/bb:2");
        Result r = docker("rmi", "bb:1");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("Untagged: bb:1").containsPattern("Deleted: sha256:[0-9a-f]{64}");
        assertThat(docker("images", "-q").out()).isBlank();
        assertThat(children(agent.dataRoot.resolve("image/snapshots"))).isEmpty();
        assertThat(children(agent.dataRoot.resolve("image/layers"))).isEmpty();
    }

    @Test
    @Order(6)
    void import_refusesHostileTarballsAndLeavesNothing() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Map<String, byte[]> hostile = Map.of(
                "refusing tar entry '../escaped': path escapes the layer",
                new TarWriter().file("../escaped", 0644, "x".getBytes()).finish(),
                "refusing tar entry '" + outside.resolve("abs") + "': absolute paths are not allowed in a layer",
                new TarWriter().file(outside.resolve("abs").toString(), 0644, "x".getBytes()).finish(),
                "refusing tar entry 'evil': symlink target '../../../../../../tmp' resolves outside the layer",
                new TarWriter().symlink("evil", "../../../../../../tmp").finish(),
                "refusing tar entry 'link/escaped': it would be written through the symlink 'link'",
                new TarWriter().symlink("link", outside.toString()).file("link/escaped", 0644, "x".getBytes()).finish(),
                "refusing tar entry 'h': path escapes the layer",
                new TarWriter().hardlink("h", "../../../../etc/passwd").finish(),
                "refusing tar entry 'dev/sda': block device nodes are not allowed in imported layers",
                new TarWriter().device("dev/sda", true, 8, 0).finish());
        for (Map.Entry<String, byte[]> e : hostile.entrySet()) {
            Path evil = Files.write(tmp.resolve("evil.tar"), e.getValue());
            Result r = docker("import", evil.toString(), "evil:1");
            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            assertThat(r.out()).contains(e.getKey());
        }
        assertThat(outside).isEmptyDirectory();
        assertThat(docker("images", "-q").out()).isBlank();
        assertThat(children(agent.dataRoot.resolve("image/snapshots"))).isEmpty();
        assertThat(children(agent.dataRoot.resolve("image/layers"))).isEmpty();
        assertThat(children(agent.dataRoot.resolve("image/tmp"))).isEmpty();
    }

    @Test
    @Order(7)
    void store_survivesARestart() throws Exception {
        Path tar = BusyboxImage.write(tmp.resolve("busybox2.tar"));
        String id = docker("import", tar.toString(), "bb:again").out().strip();
        agent.terminate();
        agent = AgentProcess.start(agent.dataRoot, agent.socket, tmp.resolve("agent2.log"));
        assertThat(docker("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").out().strip())
                .isEqualTo("bb:again " + id);
        assertThat(docker("rmi", id.substring(7, 19)).exit()).isZero();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private String get(String path) throws IOException {
        try (io.hawser.agent.api.http.RawHttpClient c = io.hawser.agent.api.http.RawHttpClient.connect(agent.socket)) {
            return c.request("GET", path).bodyText();
        }
    }

    private Result docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + agent.socket));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "docker", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        List.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY").forEach(env::remove);
        env.put("DOCKER_CONFIG", Files.createDirectories(tmp.resolve("docker-config")).toString());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(AgentProcess.START_DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("docker " + String.join(" ", args)).isTrue();
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            p.destroyForcibly();
        }
    }

    private static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
