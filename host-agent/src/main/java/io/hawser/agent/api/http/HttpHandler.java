package io.hawser.agent.api.http;

import java.io.IOException;

/**
 * Answers one request. A handler sends exactly one response through the exchange, streams one, or
 * hijacks the connection; anything it throws is answered by {@link ErrorResponses}.
 */
@FunctionalInterface
public interface HttpHandler {
    void handle(HttpExchange exchange) throws IOException;
}
