package io.hawser.agent.api.http;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become HTTP responses: the status from the {@link ErrorKind}, the body
 * {@code {"message": ...}} as dockerd writes it, so the docker CLI prints
 * "Error response from daemon: MESSAGE" exactly as it would for dockerd.
 */
public final class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

    /** The error body of every failed request. */
    public record ErrorBody(String message) {}

    private ErrorResponses() {}

    public static int status(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID_ARGUMENT -> 400;
            case SYSTEM -> 500;
        };
    }

    /** Answers {@code error}; an unexpected exception (a bug, not a refusal) is also logged with its stack. */
    public static void send(HttpExchange exchange, Throwable error) throws IOException {
        int status;
        String message;
        if (error instanceof AgentException agent) {
            status = status(agent.kind());
            message = agent.getMessage();
            if (agent.kind() == ErrorKind.SYSTEM) {
                LOG.log(Level.WARNING, exchange.request().method() + " " + exchange.request().target() + ": " + message, agent.getCause());
            }
        } else {
            status = 500;
            message = error.getMessage() != null ? error.getMessage() : error.getClass().getName();
            LOG.log(Level.WARNING, "unexpected failure answering " + exchange.request().method() + " " + exchange.request().target(), error);
        }
        exchange.sendJson(status, new ErrorBody(message));
    }
}
