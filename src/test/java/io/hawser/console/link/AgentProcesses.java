package io.hawser.console.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real host agent ({@code host-agent/target/hawser-agent.jar}, built earlier by the same {@code mvn verify}) as a
 * process, as an operator starts it. Output goes to a log file, which failures print.
 */
final class AgentProcesses {

    static final Path JAR = Path.of("host-agent/target/hawser-agent.jar").toAbsolutePath();

    private AgentProcesses() {}

    static Path jar() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build the agent first (mvn verify from the repository root, "
                    + "or mvn -B -q -DskipTests -f host-agent/pom.xml package)");
        }
        return JAR;
    }

    static Process start(Path dataRoot, Path socket, String consoleUrl, String joinToken, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString(), "--data-root", dataRoot.toString(), "--socket", socket.toString(),
                "--console-url", consoleUrl));
        if (joinToken != null) {
            cmd.add("--join-token");
            cmd.add(joinToken);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** SIGKILL (what destroyForcibly sends on Linux), then wait for it. */
    static void kill(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** A busybox root filesystem as a tar, made with the system's tar from Debian's busybox-static. */
    static Path busyboxTar(Path dir) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Path tar = dir.resolve("busybox.tar");
        run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
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
}
