package io.hawser.agent.runtime;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;

/**
 * The shim reported {@code error <stage> <errno> <message>} instead of {@code started}: the container's
 * command did not run. {@link #exitCode()} is the code dockerd gives such a container.
 */
public final class ShimStartException extends AgentException {

    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;

    private final String stage;
    private final int errno;

    ShimStartException(String stage, int errno, String message) {
        super(ErrorKind.SYSTEM, message);
        this.stage = stage;
        this.errno = errno;
    }

    /** Parses a shim's {@code error} line (without "error " and the newline). */
    static ShimStartException parse(String line) {
        String[] parts = line.split(" ", 3);
        try {
            return new ShimStartException(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
        } catch (RuntimeException e) {
            return new ShimStartException("setup", 0, "hawser-shim: " + line);
        }
    }

    /** "setup" (before execve: mounts, credentials...) or "exec" (execve itself). */
    public String stage() {
        return stage;
    }

    public int errno() {
        return errno;
    }

    /** 127 for a command not found, 126 for one that cannot be executed, 125 for anything else. */
    public int exitCode() {
        if (!stage.equals("exec")) {
            return 125;
        }
        return errno == ENOENT || errno == ENOTDIR ? 127 : 126;
    }
}
