package io.hawser.agent;

import static io.hawser.agent.CliTestCleanup.findOnPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hawser.agent.storage.TarWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image whose {@code /etc/passwd}, {@code /etc/group} and {@code /bin/sh} are symlinks to host paths (files this
 * test made on the host, with a distinctive uid and a script that would leave a marker if ever run), and
 * the same links planted as relative {@code ../../..} climbs in a running container: {@code exec -u},
 * {@code run -u}, {@code cp} both ways (running and stopped) and {@code build} (RUN in shell form, USER,
 * COPY --chown) resolve them inside the container's root, as runc and dockerd do (the container's own
 * file at that path), and never read, write or run the host's. Everything started here is removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRootfsDockerCliIT {

    private static final String HOST_PASSWD = "root:x:0:0:root:/root:/bin/sh\nevil:x:31337:31337::/hosthome:/bin/sh\n";
    private static final String HOST_GROUP = "root:x:0:\nevilg:x:31337:evil\nevil:x:31337:\n";
    private static final String IMAGE_PASSWD = "root:x:0:0:root:/root:/bin/sh\nevil:x:4242:4243::/home/evil:/bin/sh\n";
    private static final String IMAGE_GROUP = "root:x:0:\nevilg:x:4343:evil\nevil:x:4244:\n";

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;
    private Path runDir;
    private String cgroupParent;
    /** The host directory the links point at: outside the agent's data root, as /etc would be. */
    private Path hostDir;
    private Map<Path, FileTime> hostTimes;

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
        runDir = Path.of("/tmp/hwr-" + unique);
        cgroupParent = "hawser-it-" + unique;
        hostDir = Files.createDirectory(Path.of("/tmp/hwh-" + unique));
        Files.writeString(hostDir.resolve("passwd"), HOST_PASSWD);
        Files.writeString(hostDir.resolve("group"), HOST_GROUP);
        Files.writeString(hostDir.resolve("sh"), "#!/bin/sh\ntouch " + hostDir.resolve("marker") + "\n");
        Files.setPosixFilePermissions(hostDir.resolve("sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        hostTimes = new LinkedHashMap<>();
        for (String f : List.of("passwd", "group", "sh")) {
            hostTimes.put(hostDir.resolve(f), Files.getLastModifiedTime(hostDir.resolve(f)));
        }
        hostTimes.put(hostDir, Files.getLastModifiedTime(hostDir));
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent.log"),
                List.of("--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent));
        Result r = docker(null, "import", "-c", "CMD [\"sleep\", \"1000\"]", "-c", "ENV PATH=/bin",
                Files.write(tmp.resolve("hostile.tar"), hostileImage()).toString(), "hostile:1");
        assertThat(r.exit()).as(r.all()).isZero();
    }

    /**
     * busybox with /bin/sh, /etc/passwd, /etc/group and /etc/hostdir linked to the host directory's paths;
     * below the root, at those same paths, the image's own files (and its sh, busybox).
     */
    private byte[] hostileImage() throws IOException {
        TarWriter tar = new TarWriter().directory("./", 0755);
        for (String dir : List.of("bin/", "etc/", "tmp/", "proc/", "sys/", "dev/", "root/", "home/", "home/evil/")) {
            tar.directory(dir, dir.equals("tmp/") ? 01777 : 0755);
        }
        tar.file("bin/busybox", 0755, Files.readAllBytes(BusyboxImage.BUSYBOX));
        for (String applet : List.of("cat", "echo", "id", "ls", "ln", "sleep", "stat", "env", "touch", "test")) {
            tar.symlink("bin/" + applet, "busybox");
        }
        tar.symlink("bin/sh", hostDir.resolve("sh").toString());
        tar.symlink("etc/passwd", hostDir.resolve("passwd").toString());
        tar.symlink("etc/group", hostDir.resolve("group").toString());
        tar.symlink("etc/hostdir", hostDir.toString());
        String inRoot = hostDir.toString().substring(1);
        tar.directory(inRoot + "/", 0755);
        tar.file(inRoot + "/passwd", 0644, IMAGE_PASSWD.getBytes(StandardCharsets.UTF_8));
        tar.file(inRoot + "/group", 0644, IMAGE_GROUP.getBytes(StandardCharsets.UTF_8));
        tar.symlink(inRoot + "/sh", "/bin/busybox");
        return tar.finish();
    }

    @AfterEach
    void hostFilesUntouched() throws IOException {
        assertThat(Files.readString(hostDir.resolve("passwd"))).isEqualTo(HOST_PASSWD);
        assertThat(Files.readString(hostDir.resolve("group"))).isEqualTo(HOST_GROUP);
        try (var names = Files.list(hostDir)) {
            assertThat(names.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("group", "passwd", "sh");
        }
        for (Map.Entry<Path, FileTime> e : hostTimes.entrySet()) {
            assertThat(Files.getLastModifiedTime(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (agent != null && agent.process.isAlive()) {
                for (String id : docker(null, "ps", "-aq").out().split("\\s+")) {
                    if (!id.isBlank()) {
                        docker(null, "rm", "-f", id);
                    }
                }
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
            CliTestCleanup.killLeftoverShims(runDir);
            CliTestCleanup.unmountUnder(tmp);
            CliTestCleanup.removeCgroups(cgroupParent);
            if (runDir != null && Files.exists(runDir)) {
                new ProcessBuilder("rm", "-rf", "--one-file-system", runDir.toString()).start().waitFor(60, TimeUnit.SECONDS);
            }
            CliTestCleanup.deleteTree(hostDir);
        }
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    }

    @Test
    @Order(1)
    void execAndRunAsAUser_readTheContainersOwnFiles_throughAbsoluteLinks() throws Exception {
        assertThat(ok("run", "-d", "--name", "hc", "hostile:1")).isNotBlank();
        assertThat(ok("exec", "-u", "evil", "hc", "id", "-u")).isEqualTo("4242\n");
        assertThat(ok("exec", "-u", "evil", "hc", "id", "-g")).isEqualTo("4243\n");
        assertThat(ok("exec", "-u", "evil", "hc", "id", "-G").split("\\s+")).containsExactlyInAnyOrder("4243", "4343");
        assertThat(ok("exec", "-u", "evil:evilg", "hc", "id", "-g")).isEqualTo("4343\n");
        assertThat(ok("exec", "-u", "evil", "hc", "env")).contains("HOME=/home/evil").doesNotContain("hosthome");
        assertThat(ok("run", "--rm", "-u", "evil", "hostile:1", "id", "-u")).isEqualTo("4242\n");
        // /bin/sh -> the host's script: the container's path, i.e. its busybox, runs
        assertThat(ok("exec", "hc", "sh", "-c", "echo in-container $((6*7))")).isEqualTo("in-container 42\n");
        assertThat(ok("run", "--rm", "hostile:1", "sh", "-c", "echo run-sh")).isEqualTo("run-sh\n");
    }

    @Test
    @Order(2)
    void relativeClimbsPlantedInARunningContainer_stopAtItsRoot() throws Exception {
        String up = "../".repeat(12) + hostDir.toString().substring(1);
        ok("exec", "hc", "ln", "-sf", up + "/passwd", "/etc/passwd");
        ok("exec", "hc", "ln", "-sf", "../.." + "/../../" + up + "/group", "/etc/group");
        assertThat(ok("exec", "-u", "evil", "hc", "id", "-u")).isEqualTo("4242\n");
        assertThat(ok("exec", "-u", "evil:evilg", "hc", "id", "-g")).isEqualTo("4343\n");
        // a climb to a file only the host has: no such user, in dockerd's (runc's) words, which dockerd writes
        // into the exec's output stream
        ok("exec", "hc", "ln", "-sf", up + "/../../etc/shadow", "/etc/passwd");
        try {
            Result r = docker(null, "exec", "-u", "evil", "hc", "id", "-u");
            assertThat(r.exit()).as(r.all()).isNotZero();
            assertThat(r.all()).contains("unable to find user evil: no matching entries in passwd file");
        } finally {
            ok("exec", "hc", "ln", "-sf", hostDir.resolve("passwd").toString(), "/etc/passwd");
        }
    }

    @Test
    @Order(3)
    void cpThroughTheLinks_staysInTheContainer_runningAndStopped() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("cp-out"));
        // without -L the link itself comes out, as dockerd archives it
        ok("cp", "hc:/etc/passwd", out.toString());
        assertThat(Files.isSymbolicLink(out.resolve("passwd"))).isTrue();
        assertThat(Files.readSymbolicLink(out.resolve("passwd"))).isEqualTo(hostDir.resolve("passwd"));
        ok("cp", "-L", "hc:/etc/passwd", out.resolve("followed").toString());
        assertThat(Files.readString(out.resolve("followed"))).isEqualTo(IMAGE_PASSWD);
        ok("cp", "hc:/etc/hostdir/group", out.resolve("through-dir").toString());
        assertThat(Files.readString(out.resolve("through-dir"))).isEqualTo(IMAGE_GROUP);
        ok("cp", "hc:/etc/hostdir/.", out.resolve("whole").toString());
        assertThat(Files.readString(out.resolve("whole/passwd"))).isEqualTo(IMAGE_PASSWD);

        Path src = Files.writeString(tmp.resolve("new.txt"), "written by cp\n");
        ok("cp", src.toString(), "hc:/etc/hostdir/new.txt");
        ok("cp", src.toString(), "hc:/etc/passwd"); // the CLI follows a link at the destination: the container's file
        assertThat(ok("exec", "hc", "cat", hostDir.resolve("new.txt").toString(), hostDir.resolve("passwd").toString()))
                .isEqualTo("written by cp\nwritten by cp\n");
        // /bin/sh followed: the container's busybox, never the host's script
        ok("cp", "-L", "hc:/bin/sh", out.resolve("sh-followed").toString());
        assertThat(Files.size(out.resolve("sh-followed"))).isEqualTo(Files.size(BusyboxImage.BUSYBOX));

        ok("kill", "hc");
        Files.writeString(src, "into a stopped one\n");
        ok("cp", src.toString(), "hc:/etc/hostdir/group");
        ok("cp", "-L", "hc:/etc/group", out.resolve("stopped").toString());
        assertThat(Files.readString(out.resolve("stopped"))).isEqualTo("into a stopped one\n");
        ok("cp", "-L", "hc:/etc/hostdir/passwd", out.resolve("stopped-passwd").toString());
        assertThat(Files.readString(out.resolve("stopped-passwd"))).isEqualTo("written by cp\n");
        ok("rm", "hc");
    }

    @Test
    @Order(4)
    void build_runsTheImagesShell_andResolvesUserAndChownInsideTheRoot() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("a.txt"), "a\n");
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM hostile:1
                RUN echo built $((1+1)) > /built && id -u >> /built
                USER evil
                RUN id -u > /tmp/ids && id -g >> /tmp/ids
                USER root
                COPY --chown=evil:evilg a.txt /a.txt
                COPY --chown=evil a.txt /b.txt
                USER evil
                CMD ["sh", "-c", "cat /built /tmp/ids; stat -c %u:%g /a.txt /b.txt; id -u"]
                """);
        Result b = docker(null, "build", "-t", "built:1", ctx.toString());
        assertThat(b.exit()).as(b.all()).isZero();
        assertThat(ok("run", "--rm", "built:1")).isEqualTo("built 2\n0\n4242\n4243\n4242:4343\n4242:4244\n4242\n");
    }

    @Test
    @Order(5)
    void build_withLinksPlantedByRun_neverReadsTheHost() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx2"));
        Files.writeString(ctx.resolve("a.txt"), "a\n");
        String up = "../".repeat(12) + hostDir.toString().substring(1);
        // an absolute link to a path only the host has: no such user for USER, COPY --chown and the RUN after it
        Path onlyHost = Files.writeString(tmp.resolve("only-host"), HOST_PASSWD);
        Files.writeString(ctx.resolve("Dockerfile"), "FROM hostile:1\nRUN ln -sf " + onlyHost + " /etc/passwd\nCOPY --chown=evil a.txt /a\n");
        Result b = docker(null, "build", "--no-cache", ctx.toString());
        assertThat(b.exit()).as(b.all()).isNotZero();
        assertThat(b.all()).contains("unable to find user evil");
        Files.writeString(ctx.resolve("Dockerfile"), "FROM hostile:1\nRUN ln -sf " + onlyHost + " /etc/passwd\nUSER evil\nRUN id -u\n");
        b = docker(null, "build", "--no-cache", ctx.toString());
        assertThat(b.exit()).as(b.all()).isNotZero();
        assertThat(b.all()).contains("unable to find user evil").doesNotContain("31337");
        assertThat(Files.readString(onlyHost)).isEqualTo(HOST_PASSWD);
        // a relative climb in a RUN's layer: either refused as a layer escaping its root, or the image's own file
        Files.writeString(ctx.resolve("Dockerfile"), "FROM hostile:1\nRUN ln -sf " + up + "/passwd /etc/passwd\nUSER evil\n"
                + "RUN id -u > /uid\n");
        b = docker(null, "build", "--no-cache", "-t", "climb:1", ctx.toString());
        if (b.exit() == 0) {
            assertThat(ok("run", "--rm", "climb:1", "cat", "/uid")).isEqualTo("4242\n");
        } else {
            assertThat(b.all()).doesNotContain("31337");
        }
    }

    private String ok(String... args) throws Exception {
        Result r = docker(null, args);
        assertThat(r.exit()).as("docker " + String.join(" ", args) + ": " + r.all()).isZero();
        return r.out();
    }

    private Result docker(byte[] input, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + agent.socket));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        pb.environment().put("DOCKER_CONFIG", tmp.resolve("cli").toString());
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
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
