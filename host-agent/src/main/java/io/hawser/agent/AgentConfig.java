package io.hawser.agent;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How this agent instance runs. Every path is configurable so several agents can share a machine.
 *
 * @param dataRoot where the agent keeps its state and installs hawser-shim ({@code bin/})
 * @param socket the unix socket of the Docker Engine API
 * @param execRoot the run directory: one short state directory per container ({@code <exec-root>/<short id>}),
 *     kept short because the shim's unix sockets live there (107 bytes at most)
 * @param cgroupParent the cgroup every container's cgroup is created under
 * @param bridgeName the bridge of the default network ({@code hawser0}); one per agent on a host
 * @param bridgeSubnet its IPv4 subnet, {@code A.B.C.D/N}, or empty: the existing bridge's, else a free one
 * @param consoleUrl the console to link to ({@code --console-url}); null: no link
 * @param joinToken the token to enroll with, once ({@code --join-token}); null once enrolled
 */
public record AgentConfig(Path dataRoot, Path socket, Path execRoot, String cgroupParent, String bridgeName,
                          String bridgeSubnet, URI consoleUrl, String joinToken) {

    public static final Path DEFAULT_DATA_ROOT = Path.of("/var/lib/hawser");
    public static final Path DEFAULT_SOCKET = Path.of("/run/hawser/hawser.sock");
    public static final Path DEFAULT_EXEC_ROOT = Path.of("/run/hawser/c");
    public static final String DEFAULT_CGROUP_PARENT = "hawser";
    public static final String DEFAULT_BRIDGE = "hawser0";

    public AgentConfig {
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(execRoot, "execRoot");
        Objects.requireNonNull(cgroupParent, "cgroupParent");
        Objects.requireNonNull(bridgeName, "bridgeName");
        bridgeSubnet = bridgeSubnet == null ? "" : bridgeSubnet;
        dataRoot = dataRoot.toAbsolutePath().normalize();
        socket = socket.toAbsolutePath().normalize();
        execRoot = execRoot.toAbsolutePath().normalize();
    }

    public AgentConfig(Path dataRoot, Path socket, Path execRoot, String cgroupParent) {
        this(dataRoot, socket, execRoot, cgroupParent, DEFAULT_BRIDGE, "", null, null);
    }

    public AgentConfig(Path dataRoot, Path socket) {
        this(dataRoot, socket, DEFAULT_EXEC_ROOT, DEFAULT_CGROUP_PARENT);
    }

    public static AgentConfig defaults() {
        return new AgentConfig(DEFAULT_DATA_ROOT, DEFAULT_SOCKET);
    }
}
