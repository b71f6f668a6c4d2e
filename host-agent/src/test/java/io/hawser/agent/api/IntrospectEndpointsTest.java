package io.hawser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.api.http.HttpServer;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.api.http.RawHttpClient;
import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.introspect.CgroupSupport;
import io.hawser.agent.sys.HostInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The introspection endpoints over a real socket, with fake containers and a fake cgroup. */
class IntrospectEndpointsTest {

    static final String RUNNING = "a1" + "0".repeat(62);
    static final String STOPPED = "b2" + "0".repeat(62);
    static final long GIB = 1L << 30;

    @TempDir
    Path tmp;
    private HttpServer server;
    private final FakeContainerViews containers = new FakeContainerViews();

    /** A cgroup that answers fixed stats whose CPU time grows by 1 ms per reading. */
    static final class FakeCgroup implements Cgroup {
        long reads;
        public CgroupPath path() { return CgroupPath.of("hawser", RUNNING); }
        public void addProcess(long pid) {}
        public void update(Resources resources) {}
        public CgroupStats stats() {
            reads++;
            return new CgroupStats(new CgroupStats.Cpu(reads * 1_000_000, List.of(reads * 400_000, reads * 600_000), 3, 4, 5, 1, 7),
                    new CgroupStats.Memory(4096, 8192, Long.MAX_VALUE / 4096 * 4096, 0,
                            Map.of("total_inactive_file", 1024L, "cache", 10L, "swap", 5L)),
                    new CgroupStats.Pids(2, 0), List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 512)));
        }
        public boolean oomKilled() { return false; }
        public List<Long> pids() { return List.of(ProcessHandle.current().pid()); }
        public List<java.nio.file.Path> procsFiles() { return List.of(); }
        public void freeze() {}
        public void thaw() {}
        public void killAll() {}
        public void destroy() {}
    }

    @BeforeEach
    void start() throws Exception {
        containers.put(new ContainerViews.ContainerView(RUNNING, "web", true, (int) ProcessHandle.current().pid(),
                Optional.of(new FakeCgroup()), tmp.resolve("upper"), List.of(tmp.resolve("lower"))));
        containers.put(new ContainerViews.ContainerView(STOPPED, "old", false, 0, Optional.empty(),
                Files.createDirectories(tmp.resolve("upper2")), List.of()));
        InfoHandler.EngineFacts facts = new InfoHandler.EngineFacts("id-1", "host1", tmp, "0.1.0", "6.1.0", "Debian GNU/Linux 12 (bookworm)",
                "12", "x86_64", 2, 8 * GIB, "cgroupfs", CgroupVersion.V1, new CgroupSupport(true, true, true, true, true, true),
                List.of(List.of("Backing Filesystem", "extfs")));
        BuildInfo build = BuildInfo.load();
        EngineApi.Builder routes = EngineApi.standardRoutes(build, HostInfo.detect());
        IntrospectEndpoints.register(routes, containers, () -> 3, facts);
        server = HttpServer.bind(tmp.resolve("api.sock"), routes.build(), EngineApi.defaultHeaders(build));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawHttpClient.Response get(String path) throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(server.socketPath())) {
            return c.request("GET", path);
        }
    }

    private JsonNode json(String path) throws Exception {
        RawHttpClient.Response r = get(path);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void info_reportsCountsAndHostFacts() throws Exception {
        JsonNode info = json("/v1.47/info");
        assertThat(info.get("Containers").asInt()).isEqualTo(2);
        assertThat(info.get("ContainersRunning").asInt()).isEqualTo(1);
        assertThat(info.get("ContainersStopped").asInt()).isEqualTo(1);
        assertThat(info.get("Images").asInt()).isEqualTo(3);
        assertThat(info.get("Driver").asText()).isEqualTo("overlay2");
        assertThat(info.get("CgroupVersion").asText()).isEqualTo("1");
        assertThat(info.get("MemTotal").asLong()).isEqualTo(8 * GIB);
        assertThat(info.get("DockerRootDir").asText()).isEqualTo(tmp.toString());
        assertThat(info.get("Warnings").isNull()).isTrue();
        assertThat(info.get("SecurityOptions").toString()).isEqualTo("[\"name=no-new-privileges\"]");
        assertThat(info.get("SystemTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
    }

    @Test
    void stats_oneShot_hasZeroPrecpu_andClampsAnUnlimitedLimitToHostMemory() throws Exception {
        JsonNode s = json("/containers/web/stats?stream=0&one-shot=1");
        assertThat(s.get("name").asText()).isEqualTo("/web");
        assertThat(s.get("id").asText()).isEqualTo(RUNNING);
        assertThat(s.get("preread").asText()).isEqualTo(StatsWire.ZERO_TIME);
        assertThat(s.at("/precpu_stats/cpu_usage/total_usage").asLong()).isZero();
        assertThat(s.at("/precpu_stats/system_cpu_usage").isMissingNode()).isTrue();
        assertThat(s.at("/cpu_stats/cpu_usage/percpu_usage").size()).isEqualTo(2);
        assertThat(s.at("/cpu_stats/online_cpus").asInt()).isPositive();
        assertThat(s.at("/memory_stats/limit").asLong()).isEqualTo(8 * GIB);
        assertThat(s.at("/memory_stats/stats/total_inactive_file").asLong()).isEqualTo(1024);
        assertThat(s.at("/memory_stats/stats/hierarchical_memsw_limit").asLong()).as("dockerd's v1 keys, 0 when absent").isZero();
        assertThat(s.at("/memory_stats/stats/swap").isMissingNode()).as("not one of dockerd's v1 keys").isTrue();
        assertThat(s.at("/pids_stats").toString()).isEqualTo("{\"current\":2}");
        assertThat(s.at("/blkio_stats/io_service_bytes_recursive").toString())
                .isEqualTo("[{\"major\":8,\"minor\":0,\"op\":\"Read\",\"value\":512}]");
        assertThat(s.at("/blkio_stats/io_serviced_recursive").toString()).isEqualTo("[]");
        assertThat(s.has("networks")).as("the test process shares the host's network namespace").isFalse();
    }

    @Test
    void stats_noStream_takesTwoSamples_soPrecpuIsTheFirst() throws Exception {
        JsonNode s = json("/containers/" + RUNNING.substring(0, 4) + "/stats?stream=false");
        assertThat(s.at("/cpu_stats/cpu_usage/total_usage").asLong())
                .isEqualTo(s.at("/precpu_stats/cpu_usage/total_usage").asLong() + 1_000_000);
        assertThat(s.get("preread").asText()).isNotEqualTo(StatsWire.ZERO_TIME);
    }

    @Test
    void stats_ofAStoppedContainer_areZeroed_likeDockerd() throws Exception {
        RawHttpClient.Response r = get("/containers/old/stats?stream=0");
        assertThat(r.bodyText()).isEqualTo("{\"read\":\"0001-01-01T00:00:00Z\",\"preread\":\"0001-01-01T00:00:00Z\",\"pids_stats\":{},"
                + "\"blkio_stats\":{\"io_service_bytes_recursive\":null,\"io_serviced_recursive\":null,\"io_queue_recursive\":null,"
                + "\"io_service_time_recursive\":null,\"io_wait_time_recursive\":null,\"io_merged_recursive\":null,"
                + "\"io_time_recursive\":null,\"sectors_recursive\":null},\"num_procs\":0,\"storage_stats\":{},"
                + "\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":0,\"usage_in_kernelmode\":0,\"usage_in_usermode\":0},"
                + "\"throttling_data\":{\"periods\":0,\"throttled_periods\":0,\"throttled_time\":0}},"
                + "\"precpu_stats\":{\"cpu_usage\":{\"total_usage\":0,\"usage_in_kernelmode\":0,\"usage_in_usermode\":0},"
                + "\"throttling_data\":{\"periods\":0,\"throttled_periods\":0,\"throttled_time\":0}},"
                + "\"memory_stats\":{},\"name\":\"/old\",\"id\":\"" + STOPPED + "\"}");
    }

    @Test
    void stats_stream_sendsOneDocumentPerInterval_eachWithThePreviousAsPrecpu() throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(server.socketPath())) {
            c.send("GET /containers/web/stats HTTP/1.1\r\nHost: x\r\n\r\n");
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(c.in(), java.nio.charset.StandardCharsets.UTF_8));
            String line;
            while (!(line = in.readLine()).isEmpty()) {
                // headers
            }
            List<JsonNode> docs = new java.util.ArrayList<>();
            while (docs.size() < 2) {
                String size = in.readLine();
                if (size.isEmpty()) {
                    continue;
                }
                String chunk = in.readLine();
                if (chunk.isEmpty()) {
                    continue;
                }
                docs.add(Json.MAPPER.readTree(chunk));
            }
            assertThat(docs.get(1).get("preread").asText()).isEqualTo(docs.get(0).get("read").asText());
            assertThat(docs.get(1).at("/precpu_stats/cpu_usage/total_usage").asLong())
                    .isEqualTo(docs.get(0).at("/cpu_stats/cpu_usage/total_usage").asLong());
        }
    }

    @Test
    void top_ofAStoppedContainer_is409_andUnknownIs404() throws Exception {
        RawHttpClient.Response r = get("/containers/old/top");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.bodyText()).isEqualTo("{\"message\":\"Container " + STOPPED + " is not running\"}");
        assertThat(get("/containers/nope/top").status()).isEqualTo(404);
        assertThat(get("/containers/nope/stats").status()).isEqualTo(404);
        assertThat(get("/containers/nope/changes").bodyText()).isEqualTo("{\"message\":\"No such container: nope\"}");
    }

    @Test
    void top_listsTheCgroupsProcesses() throws Exception {
        JsonNode t = json("/containers/web/top?ps_args=-o+pid,comm");
        assertThat(t.get("Titles").toString()).isEqualTo("[\"PID\",\"COMMAND\"]");
        assertThat(t.get("Processes").toString()).isEqualTo("[[\"" + ProcessHandle.current().pid() + "\",\"java\"]]");
        RawHttpClient.Response bad = get("/containers/web/top?ps_args=-bad");
        assertThat(bad.status()).isEqualTo(500);
        assertThat(bad.bodyText()).contains("ps: error: unsupported SysV option");
    }

    @Test
    void changes_withoutChanges_isNull_andListsWhatTheUpperHolds() throws Exception {
        assertThat(get("/containers/old/changes").bodyText()).isEqualTo("null");
        Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(tmp.resolve("upper"));
        Files.writeString(tmp.resolve("upper/newfile"), "x");
        assertThat(get("/containers/web/changes").bodyText()).isEqualTo("[{\"Path\":\"/newfile\",\"Kind\":1}]");
    }
}
