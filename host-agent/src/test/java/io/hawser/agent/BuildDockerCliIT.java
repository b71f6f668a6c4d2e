package io.hawser.agent;

import static io.hawser.agent.CliTestCleanup.findOnPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.storage.TarWriter;
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
 * {@code DOCKER_BUILDKIT=0 docker build} (the classic builder) with the real CLI against the packaged agent:
 * every instruction, the cache, failures, multi-stage, .dockerignore, ONBUILD, {@code -f -}, hostile contexts
 * and a base image whose /etc/passwd is a symlink to a host file. Everything started here is removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildDockerCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVERY = """
            ARG BASE=bb:1
            FROM ${BASE} AS first
            ARG V=def
            ENV A=1 B="two words"
            ENV C ${A}-legacy
            LABEL l1=v1 "l 2"=x
            WORKDIR /app
            COPY a.txt .
            COPY --chown=1000:1000 dir /data/
            ADD arch.tar /unpacked/
            RUN echo run $V $A && echo x > /app/ran
            RUN ["sh", "-c", "echo exec form > /app/exec"]
            USER 1000
            EXPOSE 80 53/udp
            VOLUME /vol
            STOPSIGNAL SIGUSR1
            MAINTAINER me
            ONBUILD RUN echo triggered > /tmp/trig
            ENTRYPOINT ["sh", "-c"]
            CMD ["cat /app/a.txt"]
            """;

    @TempDir
    static Path tmp;
    private AgentProcess agent;
    private Path docker;
    private Path runDir;
    private String cgroupParent;
    private Path ctx;

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
        runDir = Path.of("/tmp/hwb-" + unique);
        cgroupParent = "hawser-it-" + unique;
        agent = AgentProcess.start(tmp.resolve("data"), tmp.resolve("run/hawser.sock"), tmp.resolve("agent.log"),
                List.of("--exec-root", runDir.toString(), "--cgroup-parent", cgroupParent));
        Result r = docker(null, "import", "-c", "CMD [\"sh\"]", BusyboxImage.write(tmp.resolve("busybox.tar")).toString(), "bb:1");
        assertThat(r.exit()).as(r.all()).isZero();
        ctx = Files.createDirectories(tmp.resolve("ctx/dir"));
        ctx = ctx.getParent();
        Files.writeString(ctx.resolve("a.txt"), "hello\n");
        Files.writeString(ctx.resolve("dir/s"), "sub\n");
        Files.writeString(ctx.resolve("ignored.txt"), "secret\n");
        Files.writeString(ctx.resolve(".dockerignore"), "ignored.txt\n**/*.tmp\n");
        Files.writeString(ctx.resolve("x.tmp"), "tmp\n");
        Files.write(ctx.resolve("arch.tar"), new TarWriter().directory("in/", 0755).file("in/f", 0644, "inside\n".getBytes()).finish());
        Files.writeString(ctx.resolve("Dockerfile"), EVERY);
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
            CliTestCleanup.unmountUnder(tmp);
            removeCgroup(cgroupParent);
            if (Files.exists(runDir)) {
                new ProcessBuilder("rm", "-rf", "--one-file-system", runDir.toString()).start().waitFor(60, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(tmp.toString());
    }

    @Test
    @Order(1)
    void everyInstruction_builds_andTheImageHasWhatTheDockerfileSays() throws Exception {
        Result b = docker(null, "build", "-t", "t:1", "-t", "t:2", "--build-arg", "V=given", ctx.toString());
        assertThat(b.exit()).as(b.all()).isZero();
        assertThat(b.out()).contains("Step 1/20 : ARG BASE=bb:1", "Step 2/20 : FROM ${BASE} AS first", " ---> Running in ",
                "run given 1", "Removing intermediate container", "Successfully tagged t:1", "Successfully tagged t:2")
                .containsPattern("Successfully built [0-9a-f]{12}");
        assertThat(docker(null, "run", "--rm", "t:1").out()).isEqualTo("hello\n");
        Result check = docker(null, "run", "--rm", "--entrypoint", "sh", "t:2", "-c",
                "id -u; pwd; echo $A/$B/$C; cat /app/ran /app/exec /unpacked/in/f; stat -c '%u:%g %n' /data/s /app/a.txt;"
                        + " test -e /app/ignored.txt || echo no-ignored; ls /");
        assertThat(check.out()).as(check.all()).startsWith("1000\n/app\n1/two words/1-legacy\nx\nexec form\ninside\n1000:1000 /data/s\n0:0 /app/a.txt\n");
        JsonNode cfg = JSON.readTree(docker(null, "image", "inspect", "t:1").out()).get(0).get("Config");
        assertThat(cfg.get("Labels").get("l1").asText()).isEqualTo("v1");
        assertThat(cfg.get("Labels").get("l 2").asText()).isEqualTo("x");
        assertThat(cfg.get("ExposedPorts").has("80/tcp")).isTrue();
        assertThat(cfg.get("ExposedPorts").has("53/udp")).isTrue();
        assertThat(cfg.get("Volumes").has("/vol")).isTrue();
        assertThat(cfg.get("StopSignal").asText()).isEqualTo("SIGUSR1");
        assertThat(cfg.get("OnBuild").toString()).isEqualTo("[\"RUN echo triggered > /tmp/trig\"]");
        assertThat(cfg.get("Entrypoint").toString()).isEqualTo("[\"sh\",\"-c\"]");
        assertThat(cfg.get("User").asText()).isEqualTo("1000");
        assertThat(JSON.readTree(docker(null, "image", "inspect", "t:1").out()).get(0).get("Author").asText()).isEqualTo("me");
        Result history = docker(null, "history", "--no-trunc", "--format", "{{.CreatedBy}}", "t:1");
        assertThat(history.out()).contains("#(nop)  CMD [\"cat /app/a.txt\"]", "|1 V=given /bin/sh -c echo run $V $A",
                "#(nop) COPY file:", "#(nop)  WORKDIR /app", "#(nop)  ENV A=1 B=two words");
    }

    @Test
    @Order(2)
    void rebuild_usesTheCacheForEveryStep_andNoCacheDoesNot() throws Exception {
        String first = JSON.readTree(docker(null, "image", "inspect", "t:1").out()).get(0).get("Id").asText();
        Result again = docker(null, "build", "-t", "t:1", "--build-arg", "V=given", ctx.toString());
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(again.out().split(" ---> Using cache", -1).length - 1).isEqualTo(18); // all but the meta ARG and FROM
        assertThat(again.out()).doesNotContain("Running in").contains("Successfully built " + first.substring(7, 19));
        Result none = docker(null, "build", "--no-cache", "--build-arg", "V=given", ctx.toString());
        assertThat(none.exit()).as(none.all()).isZero();
        assertThat(none.out()).doesNotContain("Using cache").contains("Running in").doesNotContain(first.substring(7, 19) + "\n");
    }

    @Test
    @Order(3)
    void failingRun_stopsTheBuild_withItsOutputAndExitCode() throws Exception {
        Result r = docker("FROM bb:1\nRUN echo before\nRUN echo out; exit 3\nRUN echo never\n".getBytes(), "build", "-f", "-", ctx.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.all()).contains("before", "out", "The command '/bin/sh -c echo out; exit 3' returned a non-zero code: 3")
                .doesNotContain("never");
    }

    @Test
    @Order(4)
    void parseError_namesTheLine() throws Exception {
        Result r = docker("FROM bb:1\n# comment\nFORM x\n".getBytes(), "build", "-f", "-", ctx.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Dockerfile parse error line 3: unknown instruction: FORM");
    }

    @Test
    @Order(5)
    void multiStage_copiesFromANamedStage_andTargetStops() throws Exception {
        String df = "FROM bb:1 AS build\nRUN mkdir /out && echo built > /out/art\nFROM scratch\nCOPY --from=build /out/art /art\n"
                + "COPY --from=0 /bin/busybox /bin/busybox\nCMD [\"/bin/busybox\", \"cat\", \"/art\"]\n";
        Result b = docker(df.getBytes(), "build", "-t", "multi:1", "-f", "-", ctx.toString());
        assertThat(b.exit()).as(b.all()).isZero();
        assertThat(docker(null, "run", "--rm", "multi:1").out()).isEqualTo("built\n");
        assertThat(JSON.readTree(docker(null, "image", "inspect", "multi:1").out()).get(0).at("/RootFS/Layers").size()).isEqualTo(2);
    }

    @Test
    @Order(6)
    void onbuildTriggers_runInAChildBuild() throws Exception {
        Files.writeString(ctx.resolve("Dockerfile.base"), "FROM bb:1\nONBUILD RUN echo triggered > /trig\nONBUILD ENV T=yes\n");
        assertThat(docker(null, "build", "-t", "ob:1", "-f", ctx.resolve("Dockerfile.base").toString(), ctx.toString()).exit()).isZero();
        Result child = docker("FROM ob:1\nRUN cat /trig\n".getBytes(), "build", "-t", "ob:child", "-f", "-", ctx.toString());
        assertThat(child.exit()).as(child.all()).isZero();
        assertThat(child.out()).contains("# Executing 2 build triggers", "triggered");
        assertThat(docker(null, "run", "--rm", "ob:child", "sh", "-c", "cat /trig; echo $T").out()).isEqualTo("triggered\nyes\n");
        assertThat(JSON.readTree(docker(null, "image", "inspect", "ob:child").out()).get(0).at("/Config/OnBuild").isNull()).isTrue();
    }

    @Test
    @Order(7)
    void hostileContexts_areRefused_andNothingOutsideIsWritten() throws Exception {
        Path victim = tmp.resolve("victim");
        byte[] traversal = new TarWriter().file("Dockerfile", 0644, "FROM bb:1\n".getBytes())
                .file("../victim", 0644, "pwned".getBytes()).finish();
        Result r = docker(traversal, "build", "-");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("invalid build context");
        byte[] escape = new TarWriter().file("Dockerfile", 0644, "FROM bb:1\nCOPY link/x /x\n".getBytes())
                .symlink("link", "../../../../../../../../" + tmp).file("link/victim", 0644, "pwned".getBytes()).finish();
        r = docker(escape, "build", "-");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("invalid build context");
        assertThat(victim).doesNotExist();

        // an absolute symlink in the context means the context's own root, never the host's
        Files.writeString(tmp.resolve("hostfile"), "host secret\n");
        byte[] absolute = new TarWriter().file("Dockerfile", 0644, "FROM bb:1\nCOPY abs /copied\n".getBytes())
                .symlink("abs", tmp.resolve("hostfile").toString()).finish();
        r = docker(absolute, "build", "-");
        assertThat(r.exit()).isNotZero();
        assertThat(r.all()).contains("file not found in build context");
    }

    @Test
    @Order(8)
    void chownByName_neverReadsAHostPasswdThroughASymlink() throws Exception {
        Path hostPasswd = tmp.resolve("host-passwd");
        Files.writeString(hostPasswd, "evil:x:4242:4242::/:/bin/sh\n");
        Result commit = docker(null, "run", "--name", "pw", "bb:1", "sh", "-c", "ln -sf " + hostPasswd + " /etc/passwd; ln -sf " + hostPasswd + " /etc/group");
        assertThat(commit.exit()).as(commit.all()).isZero();
        assertThat(docker(null, "commit", "pw", "pw:1").exit()).isZero();
        Result r = docker("FROM pw:1\nCOPY --chown=evil a.txt /a\n".getBytes(), "build", "-f", "-", ctx.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.all()).contains("unable to find user evil");
        assertThat(Files.readString(hostPasswd)).isEqualTo("evil:x:4242:4242::/:/bin/sh\n");
    }

    private Result docker(byte[] input, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", "unix://" + agent.socket));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DOCKER_BUILDKIT", "0");
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

    private static void removeCgroup(String parent) throws IOException, InterruptedException {
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
}
