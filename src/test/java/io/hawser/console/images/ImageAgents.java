package io.hawser.console.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Real agents ({@code host-agent/target/hawser-agent.jar}) enrolled to the console under test, the docker CLI against
 * their sockets, and tarballs to import. Each agent has its own data root and socket; {@link #close} kills it.
 */
public final class ImageAgents {

    static final Path JAR = Path.of("host-agent/target/hawser-agent.jar").toAbsolutePath();

    public record Agent(Process process, Path dataRoot, Path socket, Path log) {
        public String docker(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + socket));
            cmd.addAll(List.of(args));
            return run(cmd);
        }

        public UUID hostId() throws IOException {
            Path credential = dataRoot.resolve("link/credential");
            if (!Files.exists(credential)) {
                return null;
            }
            String bearer = Files.readString(credential).strip();
            return UUID.fromString(bearer.substring(0, bearer.indexOf('.')));
        }
    }

    private ImageAgents() {
    }

    public static Agent start(Path dir, String consoleUrl, String joinToken) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build the agent first (mvn -B -q -DskipTests -f host-agent/pom.xml package)");
        }
        Files.createDirectories(dir);
        String unique = UUID.randomUUID().toString().substring(0, 8);
        Path socket = Path.of("/tmp/himg-" + unique + ".sock");
        Path log = dir.resolve("agent.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--data-root", dir.resolve("data").toString(), "--socket", socket.toString(), "--console-url", consoleUrl,
                "--exec-root", dir.resolve("exec").toString(), "--cgroup-parent", "hawser-images-it-" + unique,
                "--join-token", joinToken);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new Agent(p, dir.resolve("data"), socket, log);
    }

    public static void kill(Agent agent) throws InterruptedException, IOException {
        if (agent == null) {
            return;
        }
        if (agent.process().isAlive()) {
            agent.process().destroyForcibly();
            agent.process().waitFor(60, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(agent.socket());
    }

    /** A busybox root filesystem as a tar, plus {@code padding} bytes of a file, made with the system's tar. */
    public static Path busyboxTar(Path dir, String name, int padding) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve(name + "-rootfs"));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        if (padding > 0) {
            byte[] bytes = new byte[padding];
            new java.util.Random(42).nextBytes(bytes);
            Files.write(root.resolve("padding"), bytes);
        }
        Path tar = dir.resolve(name + ".tar");
        run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
        return tar;
    }

    /** A tarball whose one entry climbs out of the root ({@code ../../evil}), as an attacker would make it. */
    static Path hostileTar(Path dir) throws IOException, InterruptedException {
        Path tar = dir.resolve("hostile.tar");
        run(List.of("python3", "-c", """
                import io, sys, tarfile
                with tarfile.open(sys.argv[1], 'w') as t:
                    i = tarfile.TarInfo('../../evil'); i.size = 4; t.addfile(i, io.BytesIO(b'evil'))
                """, tar.toString()));
        return tar;
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " still running after 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
