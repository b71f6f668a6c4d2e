package io.hawser.console.localagent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the local agent keeps its things, all derived from the console's data directory so that two consoles on one
 * machine (different data directories) get two agents that do not meet.
 *
 * @param dataRoot {@code <data-dir>/agent}
 * @param socket the Engine API socket: {@code <data-root>/hawser.sock}, or {@code <exec-root>.sock} when that path
 *               is too long for a unix socket (sun_path holds 108 bytes with its terminating NUL, unix(7))
 * @param execRoot short, per data directory
 * @param log the agent's output
 * @param pidFile the running agent's pid, to find an agent left behind by a console that was killed
 * @param credential where the agent keeps its host credential once enrolled ({@code <data-root>/link/credential})
 */
record LocalAgentPaths(Path dataRoot, Path socket, Path execRoot, Path log, Path pidFile, Path credential) {

    static final int MAX_SOCKET_PATH_BYTES = 107;

    static LocalAgentPaths of(Path consoleDataDir, Path execRootOrNull) {
        Path dataDir = consoleDataDir.toAbsolutePath().normalize();
        Path dataRoot = dataDir.resolve("agent");
        Path execRoot = execRootOrNull != null ? execRootOrNull.toAbsolutePath().normalize()
                : Path.of("/run", "hawser-local-" + hash(dataDir));
        Path socket = dataRoot.resolve("hawser.sock");
        if (bytes(socket) > MAX_SOCKET_PATH_BYTES) {
            socket = execRoot.resolveSibling(execRoot.getFileName() + ".sock");
        }
        return new LocalAgentPaths(dataRoot, socket, execRoot, dataRoot.resolve("agent.log"),
                dataRoot.resolve("agent.pid"), dataRoot.resolve("link").resolve("credential"));
    }

    static int bytes(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static String hash(Path dataDir) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(dataDir.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
