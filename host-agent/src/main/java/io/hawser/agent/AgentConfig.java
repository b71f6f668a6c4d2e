package io.hawser.agent;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How this agent instance runs. Every path is configurable so several agents can share a machine.
 *
 * @param dataRoot where the agent keeps its state and installs hawser-shim ({@code bin/})
 * @param socket the unix socket of the Docker Engine API
 * @param consoleUrl the console to link to ({@code --console-url}); null: no link
 * @param joinToken the token to enroll with, once ({@code --join-token}); null once enrolled
 */
public record AgentConfig(Path dataRoot, Path socket, URI consoleUrl, String joinToken) {

    public static final Path DEFAULT_DATA_ROOT = Path.of("/var/lib/hawser");
    public static final Path DEFAULT_SOCKET = Path.of("/run/hawser/hawser.sock");

    public AgentConfig {
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(socket, "socket");
        dataRoot = dataRoot.toAbsolutePath().normalize();
        socket = socket.toAbsolutePath().normalize();
    }

    public AgentConfig(Path dataRoot, Path socket) {
        this(dataRoot, socket, null, null);
    }

    public static AgentConfig defaults() {
        return new AgentConfig(DEFAULT_DATA_ROOT, DEFAULT_SOCKET);
    }
}
