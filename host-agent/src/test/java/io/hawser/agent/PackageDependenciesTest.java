package io.hawser.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the agent's packages free of cycles by reading the imports of the main sources. The allowed
 * dependencies are written down here once (and in README.md); a new package must be added to the map.
 */
class PackageDependenciesTest {

    private static final String ROOT = "io.hawser.agent";

    /** Package (relative to io.hawser.agent) to the agent packages it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("", Set.of("api", "api.http", "common", "sys", "events", "logs", "image", "storage", "container",
                    "runtime", "cgroups", "cgroups.detect", "link", "exec", "volume", "network", "build")), // AgentMain wires everything
            Map.entry("api", Set.of("api.http", "common", "sys", "image", "events", "logs", "cgroups", "container", "runtime",
                    "introspect", "storage", "exec", "volume", "network", "build")),
            // containers: lifecycle, state, restart policies, overlay roots, re-adoption
            // storage: commit archives the upper directory, cp/export resolve paths and (un)tar in a container's root
            Map.entry("container", Set.of("common", "sys", "runtime", "cgroups", "image", "events", "logs", "storage",
                    "volume", "network")),
            Map.entry("build", Set.of("container", "image", "storage", "logs", "sys", "common")), // docker build (classic builder)
            Map.entry("exec", Set.of("container", "runtime", "cgroups", "events", "sys", "common")), // docker exec
            Map.entry("volume", Set.of("common", "events")), // named and anonymous local volumes, their references
            Map.entry("network", Set.of("common")), // bridge, veths, IPAM, published-port proxies
            Map.entry("image", Set.of("storage", "events", "common")), // digests, references, configs, the image store
            Map.entry("storage", Set.of("common", "sys")), // tar extraction, snapshots (no-follow file syscalls)
            Map.entry("api.http", Set.of("common")), // plain HTTP on a unix socket, no Docker knowledge
            Map.entry("sys", Set.of("common")),
            Map.entry("events", Set.of("common")),
            Map.entry("logs", Set.of("common")), // json-file logs: reading, following, the reference writer
            Map.entry("runtime", Set.of("common", "sys")), // launching containers through hawser-shim
            Map.entry("cgroups", Set.of("common")), // the contract: Cgroup, CgroupDriver, Resources, CgroupStats, layout
            Map.entry("cgroups.v1", Set.of("cgroups", "common")),
            Map.entry("cgroups.v2", Set.of("cgroups", "common")),
            Map.entry("cgroups.detect", Set.of("cgroups", "cgroups.v1", "cgroups.v2", "common")),
            Map.entry("introspect", Set.of("cgroups", "common")), // ps for top, host facts for info, net counters
            Map.entry("link", Set.of("common")), // the console link: reads the agent's own API through its socket
            Map.entry("common", Set.of()));

    private static final Pattern PACKAGE = Pattern.compile("^package (io\\.hawser\\.agent[\\w.]*);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.hawser\\.agent[\\w.]*)\\.[A-Z]\\w*(?:\\.[\\w*]+)*;",
            Pattern.MULTILINE);

    @Test
    void mainSources_importOnlyAllowedPackages() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher pm = PACKAGE.matcher(source);
                assertThat(pm.find()).as("package declaration in " + file).isTrue();
                String pkg = relative(pm.group(1));
                assertThat(ALLOWED).as("package '" + pkg + "' (" + file + ") is not in ALLOWED").containsKey(pkg);
                Matcher im = IMPORT.matcher(source);
                while (im.find()) {
                    String imported = relative(im.group(1));
                    if (!imported.equals(pkg) && !ALLOWED.get(pkg).contains(imported)) {
                        violations.add(file + " (" + pkg + ") imports " + im.group(1));
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    private static String relative(String pkg) {
        return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
    }
}
