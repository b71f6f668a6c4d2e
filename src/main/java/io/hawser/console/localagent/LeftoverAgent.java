package io.hawser.console.localagent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent left running by a console that was killed (kill -9, OOM: no shutdown hook ran). Only one console holds a
 * data directory (its lock), so an agent on this data root that is still alive is that console's orphan; it is
 * stopped before a new one starts, since both would serve the same socket and data root.
 */
final class LeftoverAgent {

    private static final Logger log = LoggerFactory.getLogger(LeftoverAgent.class);

    private LeftoverAgent() {}

    static void stop(Path pidFile, Path dataRoot, Duration grace) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (NumberFormatException e) {
            Files.delete(pidFile);
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> isAgentOn(h.info().arguments().orElse(new String[0]), dataRoot));
        if (handle.isPresent()) {
            log.info("Stopping the local agent (pid {}) left running by an earlier console", pid);
            handle.get().destroy();
            try {
                handle.get().onExit().get(grace.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.get().destroyForcibly();
            }
        }
        Files.delete(pidFile);
    }

    /** A pid may have been reused by now: only a process with {@code --data-root <dataRoot>} is ours. */
    static boolean isAgentOn(String[] arguments, Path dataRoot) {
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].equals("--data-root") && arguments[i + 1].equals(dataRoot.toString())) {
                return true;
            }
        }
        return false;
    }
}
