package io.hawser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.storage.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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
 * {@code docker commit}, {@code history}, {@code save}/{@code load} (with Debian's dockerd 20.10 both
 * ways when it is installed), {@code export}, {@code import -} and {@code cp} with the real CLI against the
 * packaged agent; hostile cp tars and load archives, and a container symlink to a host path, never reach
 * the host. Everything started here (agent, dockerd, containers, mounts, cgroups) is removed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransferDockerCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = "bb:1";

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;
    private Path runDir;
    private String cgroupParent;
    private Process dockerd;
    private Path dockerdDir;
    private long containerdPid = -1;

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
        String unique = UUID.randomUUID().toString().substring(0, 8);
        runDir = Path.of("/tmp/hwt-" + unique);
        cgroupParent = "hawser-it-" + unique;
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent.log"),
                List.of("--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent));
        Result r = docker("import", "-c", "CMD [\"sh\"]", BusyboxImage.write(tmp.resolve("busybox.tar")).toString(), IMAGE);
        assertThat(r.exit()).as(r.all()).isZero();
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
            stopDockerd();
            if (agent != null) {
                agent.close();
            }
            CliTestCleanup.unmountUnder(tmp);
            if (dockerdDir != null) {
                CliTestCleanup.unmountUnder(dockerdDir);
            }
            removeCgroup(cgroupParent);
            removeCgroup(cgroupParent + "-d");
            deleteTree(runDir);
            deleteTree(dockerdDir);
        }
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    }

    // ---- commit, history ----

    @Test
    @Order(1)
    void commit_ofAStoppedContainer_keepsItsChanges_andHistoryShowsOneRowPerLayer() throws Exception {
        Result run = docker("run", "--name", "c1", IMAGE, "sh", "-c",
                "mkdir /data && echo hello > /data/f && /bin/busybox chmod 4750 /data/f && rm /bin/wc && echo x >> /etc/hosts");
        assertThat(run.exit()).as(run.all()).isZero();
        Result commit = docker("commit", "-m", "my change", "-c", "ENV X=1", "-c", "CMD [\"cat\", \"/data/f\"]", "c1", "bb:c1");
        assertThat(commit.exit()).as(commit.all()).isZero();
        assertThat(commit.out().strip()).matches("sha256:[0-9a-f]{64}");

        assertThat(docker("run", "--rm", "bb:c1").out()).isEqualTo("hello\n");
        Result check = docker("run", "--rm", "bb:c1", "sh", "-c",
                "echo $X; /bin/busybox stat -c %a /data/f; test -e /bin/wc && echo wc || echo no-wc; cat /etc/hosts | grep -c '^x$'");
        assertThat(check.out()).isEqualTo("1\n4750\nno-wc\n0\n"); // /etc/hosts is the runtime's, never committed

        JsonNode inspect = JSON.readTree(docker("image", "inspect", "bb:c1").out()).get(0);
        assertThat(inspect.at("/RootFS/Layers").size()).isEqualTo(2);
        assertThat(inspect.get("Comment").asText()).isEqualTo("my change");

        Result history = docker("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}", "bb:c1");
        List<String> rows = history.out().lines().toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith(commit.out().strip() + "|sh -c mkdir /data && echo hello > /data/f")
                .endsWith("|my change");
        assertThat(rows.get(0).split("\\|")[2]).isEqualTo("6B");
        assertThat(rows.get(1)).startsWith("<missing>||").endsWith("|Imported from -");
    }

    @Test
    @Order(2)
    void commit_ofARunningContainer_pausesItAndLeavesItRunning() throws Exception {
        assertThat(docker("run", "-d", "--name", "c2", IMAGE, "sh", "-c", "echo live > /live; sleep 1000").exit()).isZero();
        awaitTrue(() -> docker("cp", "c2:/live", "-").exit() == 0);
        Result commit = docker("commit", "c2", "bb:c2");
        assertThat(commit.exit()).as(commit.all()).isZero();
        assertThat(docker("inspect", "-f", "{{.State.Status}}", "c2").out().strip()).isEqualTo("running");
        assertThat(docker("run", "--rm", "bb:c2", "cat", "/live").out()).isEqualTo("live\n");
        Result history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", "bb:c2");
        assertThat(history.out().lines().findFirst().orElse("")).isEqualTo("sh -c echo live > /live; sleep 1000");
        docker("rm", "-f", "c2");
    }

    // ---- save / load ----

    @Test
    @Order(3)
    void saveThenLoad_intoTheAgent_keepsIdAndTag() throws Exception {
        String id = docker("image", "inspect", "-f", "{{.Id}}", "bb:c1").out().strip();
        Path archive = tmp.resolve("c1.tar");
        Result save = docker("save", "-o", archive.toString(), "bb:c1");
        assertThat(save.exit()).as(save.all()).isZero();
        assertThat(tarNames(archive)).contains("manifest.json", "repositories", id.substring(7) + ".json");
        assertThat(docker("rmi", "bb:c1").exit()).isZero();
        Result load = docker("load", "-i", archive.toString());
        assertThat(load.exit()).as(load.all()).isZero();
        assertThat(load.out()).isEqualTo("Loaded image: bb:c1\n");
        assertThat(docker("image", "inspect", "-f", "{{.Id}}", "bb:c1").out().strip()).isEqualTo(id);
        assertThat(docker("run", "--rm", "bb:c1").out()).isEqualTo("hello\n");
    }

    @Test
    @Order(4)
    void saveLoad_withDebiansDockerd_bothWays() throws Exception {
        assumeTrue(findOnPath("dockerd") != null, "Debian's dockerd is not installed");
        startDockerd();
        Path fromAgent = tmp.resolve("agent-save.tar");
        assertThat(docker("save", "-o", fromAgent.toString(), "bb:c1").exit()).isZero();
        Result load = dockerd("load", "-i", fromAgent.toString());
        assertThat(load.exit()).as(load.all()).isZero();
        assertThat(load.out()).contains("Loaded image: bb:c1");
        String cmd = "cat /data/f; /bin/busybox stat -c %a /data/f; echo $X";
        Result onDockerd = dockerd("run", "--rm", "--network", "none", "bb:c1", "sh", "-c", cmd);
        Result onAgent = docker("run", "--rm", "bb:c1", "sh", "-c", cmd);
        assertThat(onDockerd.exit()).as(onDockerd.all()).isZero();
        assertThat(onDockerd.out()).isEqualTo(onAgent.out()).isEqualTo("hello\n4750\n1\n");
        assertThat(dockerd("image", "inspect", "-f", "{{.Id}}", "bb:c1").out())
                .isEqualTo(docker("image", "inspect", "-f", "{{.Id}}", "bb:c1").out());

        // the reverse: an image committed by dockerd (a deletion, an addition), saved there, loaded here
        Result made = dockerd("run", "--network", "none", "--name", "dc", "bb:c1", "sh", "-c", "echo fromd > /d.txt; rm -r /data");
        assertThat(made.exit()).as(made.all()).isZero();
        assertThat(dockerd("commit", "dc", "bb:d").exit()).isZero();
        Path fromDockerd = tmp.resolve("dockerd-save.tar");
        assertThat(dockerd("save", "-o", fromDockerd.toString(), "bb:d").exit()).isZero();
        Result back = docker("load", "-i", fromDockerd.toString());
        assertThat(back.exit()).as(back.all()).isZero();
        assertThat(back.out()).isEqualTo("Loaded image: bb:d\n");
        String cmd2 = "cat /d.txt; test -e /data && echo data || echo no-data";
        assertThat(docker("run", "--rm", "bb:d", "sh", "-c", cmd2).out())
                .isEqualTo(dockerd("run", "--rm", "--network", "none", "bb:d", "sh", "-c", cmd2).out())
                .isEqualTo("fromd\nno-data\n");
        assertThat(docker("image", "inspect", "-f", "{{.Id}}", "bb:d").out())
                .isEqualTo(dockerd("image", "inspect", "-f", "{{.Id}}", "bb:d").out());
        assertThat(docker("history", "-q", "bb:d").out().lines().count()).isEqualTo(3);
    }

    @Test
    @Order(5)
    void load_refusesHostileArchives_andStoresNothing() throws Exception {
        int imagesBefore = docker("images", "-aq").out().lines().toList().size();
        byte[] traversal = new TarWriter().file("../escape.json", 0644, "{}".getBytes(StandardCharsets.UTF_8)).finish();
        Result r = dockerWithInput(traversal, "load");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("points outside the archive");

        byte[] layer = new TarWriter().file("x", 0644, "x".getBytes(StandardCharsets.UTF_8)).finish();
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                + "0".repeat(64) + "\"]}}";
        byte[] lying = new TarWriter().file("l/layer.tar", 0644, layer).file("c.json", 0644, config.getBytes(StandardCharsets.UTF_8))
                .file("manifest.json", 0644, "[{\"Config\":\"c.json\",\"RepoTags\":[\"evil:1\"],\"Layers\":[\"l/layer.tar\"]}]"
                        .getBytes(StandardCharsets.UTF_8)).finish();
        r = dockerWithInput(lying, "load");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("invalid diffID for layer 0");

        byte[] linkOut = new TarWriter().symlink("manifest.json", "../../etc/passwd").finish();
        r = dockerWithInput(linkOut, "load");
        assertThat(r.exit()).isNotZero();
        assertThat(docker("images", "-aq").out().lines().toList()).hasSize(imagesBefore);
        assertThat(Files.exists(tmp.resolve("escape.json"))).isFalse();
    }

    // ---- export, import ----

    @Test
    @Order(6)
    void export_holdsTheContainersFiles_andImportFromStdinAppliesChanges() throws Exception {
        Path out = tmp.resolve("c1-export.tar");
        Result export = docker("export", "-o", out.toString(), "c1");
        assertThat(export.exit()).as(export.all()).isZero();
        List<String> names = tarNames(out);
        assertThat(names).contains("bin/busybox", "data/f", "etc/hosts").doesNotContain("bin/wc");

        Result imported = dockerWithInput(Files.readAllBytes(out), "import", "-c", "ENV FROM=export", "-c", "CMD [\"cat\", \"/data/f\"]",
                "-", "bb:exported");
        assertThat(imported.exit()).as(imported.all()).isZero();
        assertThat(docker("run", "--rm", "bb:exported").out()).isEqualTo("hello\n");
        assertThat(docker("run", "--rm", "bb:exported", "sh", "-c", "echo $FROM").out()).isEqualTo("export\n");
    }

    // ---- cp ----

    @Test
    @Order(7)
    void cp_roundTripsADirectoryWithModes_runningAndStopped() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/sub"));
        Files.writeString(src.resolve("b"), "bee\n");
        Files.writeString(src.getParent().resolve("a"), "ay\n");
        Files.setPosixFilePermissions(src.getParent().resolve("a"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwx-----x"));
        Files.setPosixFilePermissions(src.resolve("b"), PosixFilePermissions.fromString("rwxr-xr--"));
        assertThat(docker("run", "-d", "--name", "live", IMAGE, "sleep", "1000").exit()).isZero();
        for (String c : List.of("live", "c1")) {
            Result in = docker("cp", src.getParent().toString(), c + ":/copied");
            assertThat(in.exit()).as(in.all()).isZero();
            Path back = tmp.resolve("back-" + c);
            Result out = docker("cp", c + ":/copied", back.toString());
            assertThat(out.exit()).as(out.all()).isZero();
            assertThat(Files.readString(back.resolve("a"))).isEqualTo("ay\n");
            assertThat(Files.readString(back.resolve("sub/b"))).isEqualTo("bee\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("a")))).isEqualTo("rw-r-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("sub")))).isEqualTo("rwx-----x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("sub/b")))).isEqualTo("rwxr-xr--");
        }
        Result missing = docker("cp", "c1:/nope", tmp.resolve("nope").toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("Could not find the file /nope in container c1");
    }

    @Test
    @Order(8)
    void cp_refusesTraversalAbsoluteAndSymlinkEscapes() throws Exception {
        Path sentinelDir = Files.createDirectories(tmp.resolve("host-side"));
        assertThat(docker("run", "--name", "target", IMAGE, "sh", "-c", "mkdir -p /in/deep && /bin/busybox ln -s " + sentinelDir
                + " /in/link").exit()).isZero();
        List<byte[]> hostile = List.of(
                new TarWriter().file("../../../../../../" + sentinelDir.resolve("dotdot").toString().substring(1), 0644, bytes("x")).finish(),
                new TarWriter().file(sentinelDir.resolve("absolute").toString(), 0644, bytes("x")).finish(),
                new TarWriter().symlink("esc", sentinelDir.toString()).file("esc/through", 0644, bytes("x")).finish(),
                new TarWriter().file("link/planted", 0644, bytes("x")).finish(),
                new TarWriter().symlink("up", "../../../../..").finish());
        for (byte[] tar : hostile) {
            Result r = dockerWithInput(tar, "cp", "-", "target:/in");
            assertThat(r.exit()).as(r.all()).isNotZero();
            assertThat(r.err()).contains("refusing tar entry");
        }
        Result fine = dockerWithInput(new TarWriter().file("ok", 0644, bytes("fine")).finish(), "cp", "-", "target:/in/deep");
        assertThat(fine.exit()).as(fine.all()).isZero();
        assertThat(docker("cp", "target:/in/deep/ok", "-").out()).contains("fine");
        try (Stream<Path> left = Files.list(sentinelDir)) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    @Order(9)
    void cp_throughAContainerSymlinkToAHostPath_staysInsideTheContainer() throws Exception {
        String hostPasswd = Files.readString(Path.of("/etc/passwd"));
        assertThat(docker("run", "-d", "--name", "evil", IMAGE, "sh", "-c",
                "mkdir -p /etc && echo 'root:x:0:0:container:/:/bin/sh' > /etc/passwd && /bin/busybox ln -s /etc /evil && sleep 1000")
                .exit()).isZero();
        awaitTrue(() -> docker("cp", "evil:/evil", "-").exit() == 0);
        for (String state : List.of("running", "stopped")) {
            Path out = tmp.resolve("passwd-" + state);
            Result read = docker("cp", "evil:/evil/passwd", out.toString());
            assertThat(read.exit()).as(read.all()).isZero();
            assertThat(Files.readString(out)).isEqualTo("root:x:0:0:container:/:/bin/sh\n").isNotEqualTo(hostPasswd);

            String name = "hawser-cp-" + UUID.randomUUID().toString().substring(0, 8);
            Path file = Files.writeString(tmp.resolve(name), "planted\n");
            Result write = docker("cp", file.toString(), "evil:/evil/");
            assertThat(write.exit()).as(write.all()).isZero();
            assertThat(Files.exists(Path.of("/etc", name), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(docker("cp", "evil:/etc/" + name, "-").out()).contains("planted");
            docker("stop", "-t", "0", "evil");
        }
        assertThat(Files.readString(Path.of("/etc/passwd"))).isEqualTo(hostPasswd);
    }

    // ---- helpers ----

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> tarNames(Path tar) throws Exception {
        Process p = new ProcessBuilder("tar", "-tf", tar.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out.lines().map(l -> l.startsWith("./") ? l.substring(2) : l).map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l)
                .toList();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private Result docker(String... args) throws Exception {
        return run(agent.socket.toString(), null, args);
    }

    private Result dockerWithInput(byte[] input, String... args) throws Exception {
        return run(agent.socket.toString(), input, args);
    }

    private Result dockerd(String... args) throws Exception {
        return run(dockerdDir.resolve("d.sock").toString(), null, args);
    }

    private Result run(String socket, byte[] input, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (input != null) {
            try (var stdin = p.getOutputStream()) {
                stdin.write(input);
            } catch (IOException e) {
                // the CLI may stop reading after an error
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Debian's dockerd with its own everything (bench/lib/engines.sh), no bridge, no iptables. */
    private void startDockerd() throws Exception {
        dockerdDir = Files.createDirectories(Path.of("/tmp/hwd-" + UUID.randomUUID().toString().substring(0, 8)));
        Files.writeString(dockerdDir.resolve("daemon.json"), "{}");
        dockerd = new ProcessBuilder(findOnPath("dockerd").toString(), "--config-file", dockerdDir.resolve("daemon.json").toString(),
                "--data-root", dockerdDir.resolve("root").toString(), "--exec-root", dockerdDir.resolve("exec").toString(),
                "-H", "unix://" + dockerdDir.resolve("d.sock"), "--pidfile", dockerdDir.resolve("d.pid").toString(),
                "--bridge", "none", "--iptables=false", "--ip6tables=false", "--cgroup-parent", "/" + cgroupParent + "-d",
                "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(dockerdDir.resolve("dockerd.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        awaitTrue(() -> {
            if (!dockerd.isAlive()) {
                throw new AssertionError("dockerd exited: " + Files.readString(dockerdDir.resolve("dockerd.log")));
            }
            return dockerd("version").exit() == 0;
        });
        containerdPid = dockerd.children().filter(h -> h.info().command().orElse("").endsWith("containerd"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    private void stopDockerd() throws Exception {
        if (dockerd == null) {
            return;
        }
        try {
            for (String id : dockerd("ps", "-aq").out().split("\\s+")) {
                if (!id.isBlank()) {
                    dockerd("rm", "-f", id);
                }
            }
        } finally {
            dockerd.destroy(); // SIGTERM to the PID we started
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            if (containerdPid > 0) {
                ProcessHandle.of(containerdPid).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
                });
            }
        }
    }

    private static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) { // dockerd is in sbin, not always on a test's PATH
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void removeCgroup(String parent) throws IOException, InterruptedException {
        if (parent == null) {
            return;
        }
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                Path dir = controller.resolve(parent);
                if (Files.isDirectory(dir)) {
                    new ProcessBuilder("find", dir.toString(), "-depth", "-type", "d", "-exec", "rmdir", "{}", ";").start()
                            .waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException, InterruptedException {
        if (dir != null && Files.exists(dir)) {
            new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).start().waitFor(120, TimeUnit.SECONDS);
        }
    }
}
