package io.hawser.agent.sys;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about the host the agent runs on, in the vocabulary of the Docker Engine API.
 *
 * @param kernelVersion as {@code uname -r} prints it
 * @param arch Go's GOARCH name ({@code amd64}, {@code arm64}), which is what docker clients expect
 */
public record HostInfo(String os, String arch, String kernelVersion) {

    private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");

    public static HostInfo detect() {
        return new HostInfo("linux", goArch(System.getProperty("os.arch")), kernelRelease(OSRELEASE));
    }

    static String kernelRelease(Path osrelease) {
        try {
            return Files.readString(osrelease).trim();
        } catch (IOException e) {
            throw AgentException.system("read kernel version from " + osrelease, e);
        }
    }

    /** Maps the JVM's {@code os.arch} to GOARCH; unknown names pass through unchanged. */
    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> javaArch;
        };
    }

    /** The folder name under {@code native/} that holds binaries for this machine, e.g. linux-x86_64. */
    public String nativePlatform() {
        return switch (arch) {
            case "amd64" -> "linux-x86_64";
            case "arm64" -> "linux-aarch64";
            default -> "linux-" + arch;
        };
    }
}
