package io.hawser.agent;

import static io.hawser.agent.CliTestCleanup.deleteTree;
import static io.hawser.agent.CliTestCleanup.findOnPath;
import static io.hawser.agent.CliTestCleanup.removeCgroups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.storage.TarWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
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
import java.util.List;
import java.util.Random;
import java.util.UUID;
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
 * Networking with the real docker CLI against the packaged agent: the bridge (containers reach each other,
 * the host reaches them and they reach the gateway), published ports (-p, -P, docker port, conflicts, release
 * on stop, re-publication after an agent restart), --network none and host, NetworkSettings, docker network
 * ls, network I/O in docker stats. The agent gets a bridge and a subnet of its own for this run; everything
 * (containers, bridge, veths, cgroups, mounts) is removed in {@link #cleanUp()} whatever happened.
 * Traffic goes only to loopback and to the addresses on that bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkDockerCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String IMAGE = "bbnet:1";
    /** A web server in the container: /www/index.html says hello from its hostname. */
    private static final String HTTPD = "mkdir -p /www && echo hello-$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www";

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;
    private Path runDir;
    private String cgroupParent;
    private String bridge;
    private String subnetPrefix; // "172.31.N."
    private List<String> agentArgs;
    private int agentStarts;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    void start() throws Exception {
        docker = findOnPath("docker");
        assumeTrue(docker != null, "the docker CLI is not on PATH on this machine");
        assumeTrue(BusyboxImage.available(), "busybox-static is not installed (apt-get install busybox-static)");
        assumeTrue(findOnPath("ip") != null, "iproute2 is not installed");
        String unique = UUID.randomUUID().toString().substring(0, 8);
        runDir = Path.of("/tmp/hwn-" + unique);
        cgroupParent = "hawser-it-" + unique;
        bridge = "hw" + unique; // 10 characters, within IFNAMSIZ
        subnetPrefix = freeSubnetPrefix();
        agentArgs = List.of("--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent, "--bridge-name", bridge,
                "--bridge-subnet", subnetPrefix + "0/24");
        startAgent();
        Path tar = BusyboxImage.write(tmp.resolve("busybox.tar"));
        Result r = docker("import", "-c", "CMD [\"sh\"]", "-c", "EXPOSE 80", tar.toString(), IMAGE);
        assertThat(r.exit()).as(r.all()).isZero();
    }

    /** A 172.31.N.0/24 that no route of the host overlaps (checked against {@code ip route}), N from a random start. */
    private static String freeSubnetPrefix() throws Exception {
        String routes = run(List.of("ip", "-4", "route", "show", "table", "all")).out();
        int start = 100 + new Random().nextInt(100);
        for (int i = 0; i < 150; i++) {
            int n = start + i > 254 ? start + i - 155 : start + i;
            String prefix = "172.31." + n + ".";
            if (!routes.contains(prefix) && !routes.contains("172.31.0.0/16") && !routes.contains("172.16.0.0/12")) {
                return prefix;
            }
        }
        throw new IllegalStateException("no free 172.31.N.0/24 on this host:\n" + routes);
    }

    private void startAgent() throws Exception {
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent" + agentStarts++ + ".log"),
                agentArgs);
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (agent != null && agent.process.isAlive()) {
                for (String id : docker("ps", "-aq").out().split("\\s+")) {
                    if (!id.isBlank()) {
                        docker("rm", "-f", id);
                    }
                }
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
            killLeftoverShims();
            CliTestCleanup.unmountUnder(tmp);
            removeCgroups(cgroupParent);
            deleteTree(runDir);
            if (bridge != null) {
                TestBridges.delete(bridge);
            }
        }
        if (bridge != null) {
            assertThat(run(List.of("ip", "-o", "link", "show")).out()).doesNotContain(bridge);
        }
    }

    // ---- the bridge ----

    @Test
    @Order(1)
    void bridge_containersReachEachOther_theHostReachesThem_andTheyReachTheGateway() throws Exception {
        Result web = docker("run", "-d", "--name", "web1", "--hostname", "web1", IMAGE, "sh", "-c", HTTPD);
        assertThat(web.exit()).as(web.all()).isZero();
        JsonNode ns = inspect("web1").path("NetworkSettings");
        String ip = ns.path("IPAddress").asText();
        assertThat(ip).startsWith(subnetPrefix);
        assertThat(ns.path("Gateway").asText()).isEqualTo(subnetPrefix + "1");
        assertThat(ns.path("IPPrefixLen").asInt()).isEqualTo(24);
        assertThat(ns.path("MacAddress").asText()).matches("02:42(:[0-9a-f]{2}){4}");
        assertThat(ns.path("EndpointID").asText()).matches("[0-9a-f]{64}");
        JsonNode attachment = ns.path("Networks").path("bridge");
        assertThat(attachment.path("IPAddress").asText()).isEqualTo(ip);
        assertThat(attachment.path("Gateway").asText()).isEqualTo(subnetPrefix + "1");
        assertThat(attachment.path("NetworkID").asText()).matches("[0-9a-f]{64}");

        // the host reaches the container by its address
        assertThat(awaitHttp("http://" + ip + "/index.html")).isEqualTo("hello-web1\n");
        // another container reaches it (ping needs CAP_NET_RAW, one of Docker's defaults), and the gateway
        Result peer = docker("run", "--rm", IMAGE, "sh", "-c", "ping -c1 -W5 " + ip + " && wget -qO- http://" + ip
                + "/index.html && ping -c1 -W5 " + subnetPrefix + "1 && ip -4 -o addr show eth0 && ip route && cat /etc/hosts");
        assertThat(peer.exit()).as(peer.all()).isZero();
        assertThat(peer.out()).contains("1 packets received", "hello-web1", "default via " + subnetPrefix + "1 dev eth0")
                .containsPattern("eth0\\s+inet " + subnetPrefix.replace(".", "\\.") + "\\d+/24");
        // /etc/hosts names the container's own address
        assertThat(docker("run", "--rm", "--hostname", "box", IMAGE, "cat", "/etc/hosts").out())
                .containsPattern("(?m)^" + subnetPrefix.replace(".", "\\.") + "\\d+\\tbox$").contains("127.0.0.1\tlocalhost");
        // the host end of each veth is on the agent's bridge
        assertThat(run(List.of("ip", "-o", "link", "show", "master", bridge)).out()).contains("veth");
    }

    @Test
    @Order(2)
    void stats_showTheNetworkIoOfEth0() throws Exception {
        String ip = inspect("web1").path("NetworkSettings").path("IPAddress").asText();
        awaitHttp("http://" + ip + "/index.html");
        Result stats = docker("stats", "--no-stream", "--format", "{{.NetIO}}", "web1");
        assertThat(stats.exit()).as(stats.all()).isZero();
        assertThat(stats.out().strip()).isNotEqualTo("0B / 0B").matches("[0-9.]+[kMG]?B / [0-9.]+[kMG]?B");
        JsonNode raw = JSON.readTree(curlAgent("/containers/web1/stats?stream=false"));
        assertThat(raw.path("networks").path("eth0").path("rx_bytes").asLong()).isPositive();
        assertThat(raw.path("networks").path("eth0").path("tx_bytes").asLong()).isPositive();
    }

    // ---- published ports ----

    @Test
    @Order(3)
    void publishedPort_servesTheHost_aTakenPortFailsClearly_andStopFreesIt() throws Exception {
        int port = freeLoopbackPort();
        Result web = docker("run", "-d", "--name", "pub", "--hostname", "pub", "-p", "127.0.0.1:" + port + ":80", IMAGE, "sh", "-c", HTTPD);
        assertThat(web.exit()).as(web.all()).isZero();
        assertThat(awaitHttp("http://127.0.0.1:" + port + "/index.html")).isEqualTo("hello-pub\n");
        assertThat(docker("ps", "--format", "{{.Names}} {{.Ports}}", "--filter", "name=pub").out().strip())
                .isEqualTo("pub 127.0.0.1:" + port + "->80/tcp");
        assertThat(docker("port", "pub").out().strip()).isEqualTo("80/tcp -> 127.0.0.1:" + port);
        JsonNode in = inspect("pub");
        assertThat(in.path("NetworkSettings").path("Ports").path("80/tcp").get(0).path("HostPort").asText()).isEqualTo(Integer.toString(port));
        assertThat(in.path("HostConfig").path("PortBindings").path("80/tcp").get(0).path("HostIp").asText()).isEqualTo("127.0.0.1");

        Result second = docker("run", "-d", "--name", "pub2", "-p", "127.0.0.1:" + port + ":80", IMAGE, "sh", "-c", HTTPD);
        assertThat(second.exit()).isEqualTo(125);
        assertThat(second.err()).contains("Bind for 127.0.0.1:" + port + " failed: port is already allocated");
        assertThat(docker("ps", "-q", "--filter", "name=pub2").out()).isBlank();
        docker("rm", "-f", "pub2");

        // a port another program holds: the bind error, and nothing of the container runs
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Result busy = docker("run", "--rm", "-p", "127.0.0.1:" + held.getLocalPort() + ":80", IMAGE, "true");
            assertThat(busy.exit()).isEqualTo(125);
            assertThat(busy.err()).contains("127.0.0.1:" + held.getLocalPort(), "address already in use");
        }

        Result stop = docker("stop", "-t", "1", "pub");
        assertThat(stop.exit()).as(stop.all()).isZero();
        try (ServerSocket again = new ServerSocket()) { // free as soon as stop has answered
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        assertThat(inspect("pub").path("NetworkSettings").path("IPAddress").asText()).isEmpty();
        assertThat(docker("start", "pub").exit()).isZero();
        assertThat(awaitHttp("http://127.0.0.1:" + port + "/index.html")).isEqualTo("hello-pub\n");
    }

    @Test
    @Order(4)
    void publishedUdpPort_relaysDatagramsBothWays_andIsFreedAtRemoval() throws Exception {
        assumeTrue(findOnPath("gcc") != null, "gcc is not installed");
        // busybox's nc has no -u: a small static UDP echo (test resource udp-echo.c) is the container's command
        Path src = tmp.resolve("udp-echo.c");
        try (InputStream in = NetworkDockerCliIT.class.getResourceAsStream("udp-echo.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path bin = tmp.resolve("udp-echo");
        Result cc = run(List.of("gcc", "-std=c11", "-D_DEFAULT_SOURCE", "-O2", "-static", "-o", bin.toString(), src.toString()));
        assertThat(cc.exit()).as(cc.all()).isZero();
        TarWriter tar = new TarWriter().directory("./", 0755);
        for (String dir : List.of("etc/", "proc/", "sys/", "dev/", "tmp/")) {
            tar.directory(dir, 0755);
        }
        Path image = Files.write(tmp.resolve("udp.tar"), tar.file("udp-echo", 0755, Files.readAllBytes(bin)).finish());
        Result imported = docker("import", "-c", "CMD [\"/udp-echo\", \"53\"]", image.toString(), "udpecho:1");
        assertThat(imported.exit()).as(imported.all()).isZero();

        int port = freeLoopbackUdpPort();
        Result udp = docker("run", "-d", "--name", "udp", "-p", "127.0.0.1:" + port + ":53/udp", "udpecho:1");
        assertThat(udp.exit()).as(udp.all()).isZero();
        assertThat(docker("port", "udp").out().strip()).isEqualTo("53/udp -> 127.0.0.1:" + port);
        assertThat(docker("ps", "--format", "{{.Ports}}", "--filter", "name=udp").out().strip()).isEqualTo("127.0.0.1:" + port + "->53/udp");
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            client.setSoTimeout(500);
            Instant deadline = Instant.now().plus(DEADLINE);
            String reply = null;
            String sent = null;
            for (int n = 0; reply == null && Instant.now().isBefore(deadline); n++) {
                // datagrams sent before the server binds are lost, as with dockerd's proxy: send until one comes back
                sent = "ping-" + n;
                byte[] out = sent.getBytes(StandardCharsets.US_ASCII);
                client.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), port));
                DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
                try {
                    client.receive(in);
                    reply = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
                } catch (SocketTimeoutException e) {
                    // not yet
                }
            }
            assertThat(reply).isEqualTo("echo:" + sent);
            // the container saw it from the bridge's gateway (the agent's relay), see README "Networking"
            assertThat(docker("logs", "udp").out()).contains("got " + sent + " from " + subnetPrefix + "1\n");
        }
        assertThat(docker("rm", "-f", "udp").exit()).isZero();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(again.getLocalPort()).isEqualTo(port); // released with the container
        }
    }

    @Test
    @Order(4)
    void publishAll_publishesTheImagesExposedPorts_andDockerPortShowsThem() throws Exception {
        Result web = docker("run", "-d", "--name", "all", "--hostname", "all", "-P", IMAGE, "sh", "-c", HTTPD);
        assertThat(web.exit()).as(web.all()).isZero();
        String line = docker("port", "all", "80/tcp").out().strip();
        assertThat(line).matches("0\\.0\\.0\\.0:\\d+");
        int port = Integer.parseInt(line.substring(line.indexOf(':') + 1));
        assertThat(awaitHttp("http://127.0.0.1:" + port + "/index.html")).isEqualTo("hello-all\n");
        assertThat(docker("ps", "--format", "{{.Ports}}", "--filter", "name=all").out().strip()).isEqualTo("0.0.0.0:" + port + "->80/tcp");
        assertThat(inspect("all").path("HostConfig").path("PublishAllPorts").asBoolean()).isTrue();
        // exposed but not published: ps shows the bare port
        Result bare = docker("run", "-d", "--name", "bare", IMAGE, "sleep", "60");
        assertThat(bare.exit()).as(bare.all()).isZero();
        assertThat(docker("ps", "--format", "{{.Ports}}", "--filter", "name=bare").out().strip()).isEqualTo("80/tcp");
    }

    @Test
    @Order(5)
    void agentRestart_publishesTheRunningContainersPortsAgain() throws Exception {
        String line = docker("port", "all", "80/tcp").out().strip();
        int port = Integer.parseInt(line.substring(line.indexOf(':') + 1));
        agent.close(); // SIGKILL: the proxies die with it, the containers keep running
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // the port is down meanwhile
        }
        startAgent();
        assertThat(awaitHttp("http://127.0.0.1:" + port + "/index.html")).isEqualTo("hello-all\n");
        Result fresh = docker("run", "--rm", IMAGE, "ip", "-4", "-o", "addr", "show", "eth0");
        assertThat(fresh.exit()).as(fresh.all()).isZero();
        // the IPAM survived the restart: the new container does not get an address in use
        for (String name : List.of("web1", "pub", "all", "bare")) {
            assertThat(fresh.out()).doesNotContain(inspect(name).path("NetworkSettings").path("IPAddress").asText() + "/");
        }
    }

    // ---- none, host, networks ----

    @Test
    @Order(6)
    void networkNone_hasOnlyLoopback_andHostSharesTheHostsInterfaces() throws Exception {
        Result none = docker("run", "--rm", "--network", "none", IMAGE, "ip", "-o", "link");
        assertThat(none.exit()).as(none.all()).isZero();
        assertThat(none.out().strip().lines()).hasSize(1).allMatch(l -> l.contains(": lo: ") && l.contains("UP"));
        Result c = docker("create", "--network", "none", IMAGE, "true");
        JsonNode ns = inspect(c.out().strip()).path("NetworkSettings");
        assertThat(ns.path("Networks").has("none")).isTrue();
        assertThat(ns.path("IPAddress").asText()).isEmpty();
        docker("rm", c.out().strip());

        Result host = docker("run", "--rm", "--network", "host", IMAGE, "ip", "-o", "link");
        assertThat(host.exit()).as(host.all()).isZero();
        assertThat(host.out()).contains(": " + bridge + ": ");
    }

    @Test
    @Order(7)
    void networkLs_listsBridgeHostAndNone() throws Exception {
        Result ls = docker("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}");
        assertThat(ls.exit()).as(ls.all()).isZero();
        assertThat(ls.out().strip().lines()).containsExactly("bridge bridge local", "host host local", "none null local");
        Result inspect = docker("network", "inspect", "bridge", "--format", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}");
        assertThat(inspect.out().strip()).isEqualTo(subnetPrefix + "0/24 " + subnetPrefix + "1");
    }

    @Test
    @Order(8)
    void removingEverything_leavesNoVethNorEndpoint() throws Exception {
        for (String id : docker("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                assertThat(docker("rm", "-f", id).exit()).isZero();
            }
        }
        JsonNode state = JSON.readTree(tmp.resolve("data/network/endpoints.json").toFile());
        assertThat(state.path("Endpoints").size()).isZero();
        assertThat(state.path("Subnet").asText()).isEqualTo(subnetPrefix + "0/24");
        Instant deadline = Instant.now().plus(DEADLINE); // the kernel tears the namespaces down asynchronously
        while (run(List.of("ip", "-o", "link", "show", "master", bridge)).out().contains("veth") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(run(List.of("ip", "-o", "link", "show", "master", bridge)).out()).doesNotContain("veth");
    }

    // ---- helpers ----

    private String awaitHttp(String url) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no answer from " + url + " within " + DEADLINE, last);
    }

    private static int freeLoopbackUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    private JsonNode inspect(String name) throws Exception {
        Result r = docker("inspect", name);
        assertThat(r.exit()).as(r.all()).isZero();
        return JSON.readTree(r.out()).get(0);
    }

    private String curlAgent(String path) throws Exception {
        Result r = run(List.of("curl", "-s", "--unix-socket", agent.socket.toString(), "http://localhost" + path));
        assertThat(r.exit()).as(r.all()).isZero();
        return r.out();
    }

    private Result docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + agent.socket));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Result run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Shims still running from this test's run directory: SIGKILL them (by the pid they recorded). */
    private void killLeftoverShims() throws IOException, InterruptedException {
        if (runDir == null || !Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(runDir)) {
            for (Path d : dirs.toList()) {
                Path pidFile = d.resolve("shim.pid");
                if (Files.exists(pidFile)) {
                    String pid = Files.readString(pidFile).strip();
                    Path cmdline = Path.of("/proc", pid, "cmdline");
                    if (Files.exists(cmdline) && Files.readString(cmdline).contains(d.toString())) {
                        new ProcessBuilder("kill", "-9", pid).start().waitFor();
                    }
                }
            }
        }
    }

}
