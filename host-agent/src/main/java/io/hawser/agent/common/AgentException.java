package io.hawser.agent.common;

import java.util.Objects;

/**
 * The one unchecked exception of the agent. Its message is what the docker CLI prints after
 * "Error response from daemon: ", so it says what was tried and why it failed.
 */
public class AgentException extends RuntimeException {

    private final ErrorKind kind;

    public AgentException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    public AgentException(ErrorKind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ErrorKind kind() {
        return kind;
    }

    public static AgentException notFound(String message) {
        return new AgentException(ErrorKind.NOT_FOUND, message);
    }

    public static AgentException conflict(String message) {
        return new AgentException(ErrorKind.CONFLICT, message);
    }

    public static AgentException invalidArgument(String message) {
        return new AgentException(ErrorKind.INVALID_ARGUMENT, message);
    }

    /** A failed operation on the host, e.g. {@code system("bind unix socket /x", e)}. */
    public static AgentException system(String operation, Throwable cause) {
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new AgentException(ErrorKind.SYSTEM, operation + " failed: " + reason, cause);
    }

    public static AgentException system(String message) {
        return new AgentException(ErrorKind.SYSTEM, message);
    }
}
