package io.hawser.agent;

import static io.hawser.agent.CliTestCleanup.deleteTree;
import static io.hawser.agent.CliTestCleanup.findOnPath;
import static io.hawser.agent.CliTestCleanup.killLeftoverShims;
import static io.hawser.agent.CliTestCleanup.removeCgroups;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Volumes and mounts with the real docker CLI against the packaged agent: bind mounts (rw and :ro), named
 * volumes outliving their containers, {@code docker volume ls/inspect/rm/prune}, anonymous volumes from the
 * image's VOLUME removed by {@code rm -v}, copy-up of the image's content, {@code --tmpfs}, {@code --mount},
 * {@code --read-only}, inspect's Mounts, the volume events, and a symlink planted in the image that must not
 * put a mount outside the container's root. Every mount made is gone at the end ({@link #cleanUp()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VolumesDockerCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = "bbvol:1";
    private static final String EVIL = "evil:1";

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;
    private Path runDir;
    private String cgroupParent;

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
        runDir = Path.of("/tmp/hwv-" + unique); // short: the shims' unix sockets live below it
        cgroupParent = "hawser-it-" + unique;
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent.log"),
                List.of("--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent));
        Path tar = BusyboxImage.write(tmp.resolve("busybox.tar"));
        Result r = docker("import", "-c", "CMD [\"sh\"]", "-c", "VOLUME /data", tar.toString(), IMAGE);
        assertThat(r.exit()).as(r.all()).isZero();
        // /data -> /etc planted in the image (a host path, were it followed outside the root)
        Path evil = tmp.resolve("evil");
        Files.createDirectories(evil.resolve("bin"));
        Files.copy(BusyboxImage.BUSYBOX, evil.resolve("bin/busybox"));
        Files.createSymbolicLink(evil.resolve("bin/sh"), Path.of("busybox"));
        Files.createSymbolicLink(evil.resolve("data"), Path.of("/etc"));
        Files.createSymbolicLink(evil.resolve("abs"), Path.of("/tmp")); // a relative one climbing out is refused at import
        Process tarp = new ProcessBuilder("tar", "-C", evil.toString(), "-cf", tmp.resolve("evil.tar").toString(), ".")
                .inheritIO().start();
        assertThat(tarp.waitFor()).isZero();
        r = docker("import", tmp.resolve("evil.tar").toString(), EVIL);
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
            if (agent != null) {
                agent.close();
            }
            killLeftoverShims(runDir);
            CliTestCleanup.unmountUnder(tmp);
            removeCgroups(cgroupParent);
            deleteTree(runDir);
        }
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    }

    // ---- bind mounts ----

    @Test
    @Order(1)
    void bindMount_writesReachTheHost_andReadOnlyRefuses() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("host-rw"));
        Files.writeString(host.resolve("in.txt"), "from the host\n");
        Result r = docker("run", "--rm", "-v", host + ":/h", IMAGE, "sh", "-c", "cat /h/in.txt; echo written inside > /h/out.txt");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("from the host\n");
        assertThat(Files.readString(host.resolve("out.txt"))).isEqualTo("written inside\n");

        r = docker("run", "--rm", "-v", host + ":/h:ro", IMAGE, "sh", "-c", "cat /h/in.txt; echo no > /h/ro.txt");
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.out()).isEqualTo("from the host\n");
        assertThat(r.err()).contains("Read-only file system");
        assertThat(host.resolve("ro.txt")).doesNotExist();
    }

    @Test
    @Order(2)
    void bindMount_missingHostPathIsCreated_mountFlagChecksSource() throws Exception {
        Path missing = tmp.resolve("made/by/v");
        Result r = docker("run", "--rm", "-v", missing + ":/m", IMAGE, "sh", "-c", "echo hi > /m/f");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(Files.readString(missing.resolve("f"))).isEqualTo("hi\n");

        r = docker("run", "--rm", "--mount", "type=bind,src=" + tmp.resolve("nope") + ",dst=/x", IMAGE, "true");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("invalid mount config for type \"bind\": bind source path does not exist: " + tmp.resolve("nope"));

        r = docker("run", "--rm", "-v", missing + ":relative", IMAGE, "true");
        assertThat(r.err()).contains("mount path must be absolute");
    }

    // ---- named volumes ----

    @Test
    @Order(3)
    void namedVolume_outlivesItsContainer() throws Exception {
        Result r = docker("run", "--name", "writer", "-v", "keep:/store", IMAGE, "sh", "-c", "echo kept > /store/file");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(docker("rm", "-v", "writer").exit()).isZero(); // -v: named volumes stay anyway
        r = docker("run", "--rm", "-v", "keep:/other", IMAGE, "cat", "/other/file");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("kept\n");
        assertThat(docker("volume", "ls", "-q").out()).contains("keep\n");
    }

    @Test
    @Order(4)
    void volumeCommands_createLsInspectRm_refusedWhileUsed() throws Exception {
        Result r = docker("volume", "create", "--label", "team=a", "vcli");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("vcli\n");
        JsonNode v = JSON.readTree(docker("volume", "inspect", "vcli").out()).get(0);
        assertThat(v.get("Name").asText()).isEqualTo("vcli");
        assertThat(v.get("Driver").asText()).isEqualTo("local");
        assertThat(v.get("Scope").asText()).isEqualTo("local");
        assertThat(v.get("Labels").get("team").asText()).isEqualTo("a");
        assertThat(v.get("Mountpoint").asText()).isEqualTo(tmp.resolve("data/volumes/vcli/_data").toString());
        assertThat(Path.of(v.get("Mountpoint").asText())).isDirectory();
        assertThat(docker("volume", "ls", "--filter", "label=team=a", "-q").out()).isEqualTo("vcli\n");

        r = docker("create", "--name", "holder", "-v", "vcli:/x", IMAGE, "true");
        assertThat(r.exit()).as(r.all()).isZero();
        String holder = r.out().strip();
        r = docker("volume", "rm", "vcli");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("remove vcli: volume is in use - [" + holder + "]");
        assertThat(docker("volume", "ls", "--filter", "dangling=false", "-q").out()).contains("vcli\n");

        assertThat(docker("rm", "holder").exit()).isZero();
        r = docker("volume", "rm", "vcli");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(tmp.resolve("data/volumes/vcli")).doesNotExist();
        r = docker("volume", "inspect", "vcli");
        assertThat(r.err()).contains("no such volume");
        r = docker("volume", "create", "a/b");
        assertThat(r.err()).contains("includes invalid characters for a local volume name");
    }

    // ---- anonymous volumes, copy-up ----

    @Test
    @Order(5)
    void imageVolume_isAnonymous_getsImageContent_andRmVRemovesIt() throws Exception {
        List<String> before = lines(docker("volume", "ls", "-q").out());
        // /data in the image holds nothing; /bin does: an anonymous -v /bin gets busybox's links copied in
        Result r = docker("run", "--name", "anon", "-v", "/bin", IMAGE, "sh", "-c", "ls /bin/cat && echo x > /data/f");
        assertThat(r.exit()).as(r.all()).isZero();
        JsonNode mounts = JSON.readTree(docker("inspect", "anon").out()).get(0).get("Mounts");
        assertThat(mounts).hasSize(2);
        List<String> created = new ArrayList<>(lines(docker("volume", "ls", "-q").out()));
        created.removeAll(before);
        assertThat(created).hasSize(2).allMatch(n -> n.matches("[0-9a-f]{64}"));
        for (JsonNode m : mounts) {
            assertThat(m.get("Type").asText()).isEqualTo("volume");
            assertThat(created).contains(m.get("Name").asText());
            assertThat(m.get("Mode").asText()).isEmpty();
        }
        r = docker("rm", "-v", "anon");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(lines(docker("volume", "ls", "-q").out())).doesNotContainAnyElementsOf(created);
    }

    @Test
    @Order(6)
    void namedVolume_firstUseCopiesTheImageContent() throws Exception {
        Result r = docker("run", "--rm", "-v", "bincopy:/bin", IMAGE, "ls", "/bin/busybox");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(tmp.resolve("data/volumes/bincopy/_data/busybox")).isRegularFile();
        assertThat(Files.isSymbolicLink(tmp.resolve("data/volumes/bincopy/_data/sh"))).isTrue();
        assertThat(docker("volume", "rm", "bincopy").exit()).isZero();
    }

    // ---- tmpfs, read-only ----

    @Test
    @Order(7)
    void tmpfs_isATmpfsInside() throws Exception {
        Result r = docker("run", "--rm", "--tmpfs", "/scratch", "--mount", "type=tmpfs,dst=/t,tmpfs-size=1048576", IMAGE,
                "sh", "-c", "grep -E ' /(scratch|t) ' /proc/mounts; echo ok > /scratch/f && cat /scratch/f");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec").contains("tmpfs /t tmpfs")
                .contains("size=1024k").endsWith("ok\n");
    }

    @Test
    @Order(8)
    void readOnlyRoot_refusesWrites_tmpfsStillWritable() throws Exception {
        Result r = docker("run", "--rm", "--read-only", "--tmpfs", "/tmp", IMAGE, "sh", "-c",
                "touch /x; echo root=$?; touch /tmp/y && echo tmp=ok; echo z > /dev/null && echo dev=ok");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("root=1\ntmp=ok\ndev=ok\n");
        assertThat(r.err()).contains("Read-only file system");
        assertThat(docker("create", "--name", "ro", "--read-only", IMAGE).exit()).isZero();
        assertThat(JSON.readTree(docker("inspect", "ro").out()).get(0).get("HostConfig").get("ReadonlyRootfs").asBoolean())
                .isTrue();
        assertThat(docker("rm", "-v", "ro").exit()).isZero();
    }

    // ---- inspect, events ----

    @Test
    @Order(9)
    void inspect_showsMountsAsDockerd() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("host-inspect"));
        Result r = docker("create", "--name", "shown", "-v", host + ":/h:ro", "-v", "shownvol:/v", "--mount",
                "type=tmpfs,dst=/t", IMAGE);
        assertThat(r.exit()).as(r.all()).isZero();
        JsonNode c = JSON.readTree(docker("inspect", "shown").out()).get(0);
        JsonNode mounts = c.get("Mounts");
        assertThat(mounts).hasSize(4); // and the image's /data
        JsonNode bind = find(mounts, "/h");
        assertThat(bind.toString()).isEqualTo("{\"Type\":\"bind\",\"Source\":\"" + host + "\",\"Destination\":\"/h\","
                + "\"Mode\":\"ro\",\"RW\":false,\"Propagation\":\"rprivate\"}");
        assertThat(find(mounts, "/v").toString()).isEqualTo("{\"Type\":\"volume\",\"Name\":\"shownvol\",\"Source\":\""
                + tmp.resolve("data/volumes/shownvol/_data") + "\",\"Destination\":\"/v\",\"Driver\":\"local\","
                + "\"Mode\":\"z\",\"RW\":true,\"Propagation\":\"\"}");
        assertThat(find(mounts, "/t").toString()).isEqualTo("{\"Type\":\"tmpfs\",\"Source\":\"\",\"Destination\":\"/t\","
                + "\"Mode\":\"\",\"RW\":true,\"Propagation\":\"\"}");
        // The CLI collects -v values in a Go map, so the order of Binds varies from run to run (dockerd's too).
        List<String> binds = new ArrayList<>();
        c.get("HostConfig").get("Binds").forEach(b -> binds.add(b.asText()));
        assertThat(binds).containsExactlyInAnyOrder(host + ":/h:ro", "shownvol:/v");
        assertThat(docker("rm", "-v", "shown").exit()).isZero();
        assertThat(docker("volume", "rm", "shownvol").exit()).isZero();
    }

    @Test
    @Order(10)
    void events_createMountUnmountDestroy() throws Exception {
        Result r = docker("run", "--name", "ev", "-v", "evvol:/e", IMAGE, "true");
        assertThat(r.exit()).as(r.all()).isZero();
        String id = JSON.readTree(docker("inspect", "ev").out()).get(0).get("Id").asText();
        assertThat(docker("rm", "ev").exit()).isZero();
        assertThat(docker("volume", "rm", "evvol").exit()).isZero();
        r = docker("events", "--since", "0", "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                "--filter", "type=volume", "--filter", "volume=evvol", "--format", "{{.Action}} {{json .Actor.Attributes}}");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(lines(r.out())).containsExactly(
                "create {\"driver\":\"local\"}",
                "mount {\"container\":\"" + id + "\",\"destination\":\"/e\",\"driver\":\"local\",\"propagation\":\"\","
                        + "\"read/write\":\"true\"}",
                "unmount {\"container\":\"" + id + "\",\"driver\":\"local\"}",
                "destroy {\"driver\":\"local\"}");
    }

    // ---- hostile ----

    @Test
    @Order(11)
    void symlinkPlantedInTheImage_neverPutsAMountOutsideTheRoot() throws Exception {
        String etcBefore = listing(Path.of("/etc"));
        String mountsBefore = Files.readString(Path.of("/proc/mounts"));
        Path host = Files.createDirectories(tmp.resolve("host-evil"));
        for (String[] args : List.of(
                new String[] {"-v", "evilvol:/data"},
                new String[] {"-v", host + ":/data"},
                new String[] {"-v", host + ":/data/sub"},
                new String[] {"--tmpfs", "/data"},
                new String[] {"-v", host + ":/abs/x"})) {
            List<String> cmd = new ArrayList<>(List.of("run", "--rm"));
            cmd.addAll(List.of(args));
            cmd.addAll(List.of(EVIL, "/bin/sh", "-c", "echo pwned > /data/pwned-by-hawser-test"));
            Result r = docker(cmd.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.all()).isNotZero();
            assertThat(r.err()).contains("symlink");
        }
        assertThat(Path.of("/etc/pwned-by-hawser-test")).doesNotExist();
        assertThat(listing(Path.of("/etc"))).isEqualTo(etcBefore);
        assertThat(Path.of("/etc/sub")).doesNotExist(); // the missing mount point made through /data
        assertThat(Path.of("/tmp/x")).doesNotExist(); // ... and through /abs
        // other builds mount on this machine meanwhile: only what an escape would have added is checked
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String target = line.split(" ")[1];
            assertThat(target).doesNotStartWith("/etc").isNotEqualTo("/tmp/x");
            assertThat(mountsBefore.contains(" " + target + " ") || !target.startsWith(host.toString())).isTrue();
        }
        // the volume got nothing of /etc: copy-up does not follow the planted link either
        try (Stream<Path> s = Files.list(tmp.resolve("data/volumes/evilvol/_data"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    @Order(12)
    void noMountLeftBehind() throws Exception {
        for (String id : docker("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                docker("rm", "-f", id);
            }
        }
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    }

    private static JsonNode find(JsonNode mounts, String destination) {
        for (JsonNode m : mounts) {
            if (m.get("Destination").asText().equals(destination)) {
                return m;
            }
        }
        throw new AssertionError("no mount on " + destination + " in " + mounts);
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().toString();
        }
    }

    private static List<String> lines(String s) {
        return s.lines().filter(l -> !l.isBlank()).toList();
    }

    private Result docker(String... args) throws Exception {
        return dockerWithInput(null, args);
    }

    private Result dockerWithInput(String input, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + agent.socket));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

}
