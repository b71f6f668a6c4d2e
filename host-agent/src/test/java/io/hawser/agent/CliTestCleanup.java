package io.hawser.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the agent's docker CLI suites share: finding the CLI, and removing what a test run leaves behind even when
 * it fails (shims and their containers, the run's cgroups, temp trees).
 */
final class CliTestCleanup {

    private CliTestCleanup() {}

    static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Shims (and so containers) still running from this test's run directory: SIGKILL their cgroups' processes. */
    static void killLeftoverShims(Path runDir) throws IOException, InterruptedException {
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

    static void removeCgroups(String cgroupParent) throws IOException, InterruptedException {
        if (cgroupParent == null) {
            return;
        }
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                Path parent = controller.resolve(cgroupParent);
                if (!Files.isDirectory(parent)) {
                    continue;
                }
                try (Stream<Path> children = Files.list(parent)) {
                    for (Path child : children.filter(Files::isDirectory).toList()) {
                        Path procs = child.resolve("cgroup.procs");
                        if (Files.exists(procs)) {
                            for (String pid : Files.readAllLines(procs)) {
                                new ProcessBuilder("kill", "-9", pid.strip()).start().waitFor();
                            }
                        }
                        for (int i = 0; i < 50 && Files.exists(child); i++) {
                            new ProcessBuilder("rmdir", child.toString()).start().waitFor();
                            Thread.sleep(100);
                        }
                    }
                }
                new ProcessBuilder("rmdir", parent.toString()).start().waitFor();
            }
        }
    }

    /** Lazily unmounts every mount below {@code dir} (overlay roots, volumes, binds a failed test left behind). */
    static void unmountUnder(Path dir) throws IOException, InterruptedException {
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String target = line.split(" ")[1];
            if (target.startsWith(dir.toString())) {
                new ProcessBuilder("umount", "-l", target).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
