package io.hawser.console.localagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether the console starts its local agent, and if not, what to tell the person who started it. */
final class LocalAgentDecision {

    private LocalAgentDecision() {}

    /**
     * @return empty: start it; an empty string: off, nothing to say (disabled, or no jar given and not asked for);
     *         otherwise the one line to log
     */
    static Optional<String> refusal(LocalAgentProperties settings, boolean root, int port) {
        if (Boolean.FALSE.equals(settings.enabled())) {
            return Optional.of("");
        }
        boolean asked = Boolean.TRUE.equals(settings.enabled());
        if (settings.jar() == null) {
            return Optional.of(asked ? "No local agent: hawser.local-agent.enabled is true but hawser.local-agent.jar is not set." : "");
        }
        if (!Files.isRegularFile(settings.jar())) {
            return Optional.of("No local agent: " + settings.jar().toAbsolutePath() + " does not exist "
                    + "(build it with: mvn -f host-agent/pom.xml -DskipTests package).");
        }
        if (!root) {
            return Optional.of("No local agent: the agent needs root (it mounts, makes namespaces and cgroups); "
                    + "start Hawser as root (sudo ./hawser) to add this machine as a host, or start the agent by hand: "
                    + "sudo java -jar " + settings.jar().toAbsolutePath() + " --console-url http://localhost:" + port
                    + " --join-token TOKEN (a token from Hosts > Add host).");
        }
        return Optional.empty();
    }

    /** Whether this process runs as root: {@code /proc/self} belongs to the process's effective user (proc(5)). */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
