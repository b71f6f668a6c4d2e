package io.hawser.console.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes what a test agent leaves behind when it could not take it down itself (it was killed, or the test failed):
 * shims and their containers, its cgroups, overlay mounts, its bridge and temp trees. Each step touches only what
 * belongs to one agent (its exec root, cgroup parent, directories, bridge name) and kills only by PID.
 */
public final class AgentCleanup {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private AgentCleanup() {}

    /** SIGKILLs the shims (and so containers) still running from {@code execRoot}: a shim's pid file, checked by cmdline. */
    public static void killLeftoverShims(Path execRoot) throws IOException {
        if (execRoot == null || !Files.isDirectory(execRoot)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(execRoot)) {
            for (Path d : dirs.toList()) {
                Path pidFile = d.resolve("shim.pid");
                if (Files.exists(pidFile)) {
                    String pid = Files.readString(pidFile).strip();
                    Path cmdline = Path.of("/proc", pid, "cmdline");
                    if (pid.matches("[0-9]+") && Files.exists(cmdline) && Files.readString(cmdline).contains(d.toString())) {
                        Commands.quietly("kill", "-9", pid);
                    }
                }
            }
        }
    }

    /**
     * The cgroups at and below {@code cgroupParent} in every hierarchy (each cgroup v1 controller, and the cgroup v2
     * root): their processes SIGKILLed, then removed, deepest first.
     */
    public static void removeCgroups(String cgroupParent) throws IOException, InterruptedException {
        if (cgroupParent == null || cgroupParent.isBlank()) {
            return;
        }
        List<Path> roots = new ArrayList<>();
        if (Files.exists(CGROUP_ROOT.resolve("cgroup.controllers"))) {
            roots.add(CGROUP_ROOT); // cgroup v2
        }
        try (Stream<Path> controllers = Files.list(CGROUP_ROOT)) {
            controllers.filter(Files::isDirectory).forEach(roots::add);
        }
        for (Path root : roots) {
            Path parent = root.resolve(cgroupParent);
            if (!Files.isDirectory(parent)) {
                continue;
            }
            List<Path> cgroups;
            try (Stream<Path> all = Files.walk(parent)) {
                cgroups = all.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
            }
            for (Path cgroup : cgroups) {
                Path procs = cgroup.resolve("cgroup.procs");
                if (Files.exists(procs)) {
                    for (String pid : Files.readAllLines(procs)) {
                        if (!pid.isBlank()) {
                            Commands.quietly("kill", "-9", pid.strip());
                        }
                    }
                }
                for (int i = 0; i < 50 && Files.exists(cgroup); i++) {
                    Commands.quietly("rmdir", cgroup.toString());
                    if (Files.exists(cgroup)) {
                        Thread.sleep(100);
                    }
                }
            }
        }
    }

    /** Lazily unmounts every mount point below the given directories (containers' overlays), deepest first. */
    public static void unmountBelow(Path... roots) throws IOException {
        Set<String> prefixes = new LinkedHashSet<>();
        for (Path root : roots) {
            if (root != null) {
                prefixes.add(root.toAbsolutePath() + "/");
                if (Files.exists(root)) {
                    prefixes.add(root.toRealPath() + "/");
                }
            }
        }
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                String target = fields[4].replace("\\040", " ");
                if (prefixes.stream().anyMatch(target::startsWith)) {
                    targets.add(target);
                }
            }
        }
        targets.sort(Comparator.comparingInt(String::length).reversed());
        for (String target : targets) {
            Commands.quietly("umount", "-l", target);
        }
    }

    /** Removes a network interface (an agent's bridge) from the root namespace, if it is there. */
    public static void deleteLink(String name) {
        if (name != null && Files.exists(Path.of("/sys/class/net", name))) {
            Commands.quietly("ip", "link", "del", "dev", name);
        }
    }

    /** Deletes a file tree, deepest first; nothing when it is not there. */
    public static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
