package io.hawser.console.common.api;

/**
 * An agent answered a request with an error status (dockerd's {@code {"message": ...}}): the console passes both on,
 * e.g. 404 "No such container: x" or 409 "container is not running".
 */
public class AgentErrorException extends RuntimeException {

    private final int status;

    public AgentErrorException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
