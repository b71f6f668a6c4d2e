package io.hawser.agent.introspect;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code docker info} says of the host, read where dockerd reads it: os-release(5) PRETTY_NAME and
 * VERSION_ID, the kernel's hostname and machine (uname -n, -m), MemTotal of proc(5) meminfo.
 *
 * @param machine as {@code uname -m} prints it ({@code x86_64}), which is dockerd's Architecture
 */
public record HostFacts(String operatingSystem, String osVersion, String hostname, String machine, long memTotal) {

    public static HostFacts read() {
        Map<String, String> os = osRelease(readOr(Path.of("/etc/os-release"), readOr(Path.of("/usr/lib/os-release"), "")));
        return new HostFacts(
                os.getOrDefault("PRETTY_NAME", "Linux"),
                os.getOrDefault("VERSION_ID", ""),
                readOr(Path.of("/proc/sys/kernel/hostname"), "").strip(),
                readOr(Path.of("/proc/sys/kernel/arch"), machineFromJava(System.getProperty("os.arch"))).strip(),
                memTotal(readOr(Path.of("/proc/meminfo"), "")));
    }

    /** os-release(5): KEY=value lines, values optionally in double or single quotes with backslash escapes. */
    static Map<String, String> osRelease(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            out.put(line.substring(0, eq).strip(), value);
        }
        return out;
    }

    /** "MemTotal:  24684096 kB" in bytes; 0 when absent. */
    static long memTotal(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.substring(9).strip().split("\\s+");
                long n = Long.parseLong(f[0]);
                return f.length > 1 && f[1].equalsIgnoreCase("kB") ? n * 1024 : n;
            }
        }
        return 0;
    }

    /** Host memory in bytes, for clamping an unlimited cgroup's limit in stats. */
    public static long readMemTotal() {
        return memTotal(readOr(Path.of("/proc/meminfo"), ""));
    }

    /** Kernels before 6.1 have no /proc/sys/kernel/arch: the JVM's name, back in uname's vocabulary. */
    static String machineFromJava(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> javaArch;
        };
    }

    /** dockerd's name for the data root's filesystem (moby pkg/fsutils / graphdriver FsMagic names). */
    public static String backingFilesystem(Path dataRoot) {
        try {
            String type = Files.getFileStore(dataRoot).type();
            return switch (type) {
                case "ext2", "ext3", "ext4" -> "extfs";
                case "overlay" -> "overlayfs";
                default -> type;
            };
        } catch (IOException e) {
            throw AgentException.system("read the filesystem type of " + dataRoot, e);
        }
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return fallback;
        }
    }
}
