package io.hawser.agent.api;

import io.hawser.agent.api.http.HttpExchange;
import io.hawser.agent.api.http.HttpRequest;
import io.hawser.agent.common.AgentException;
import java.util.Map;

/**
 * A request routed to an endpoint.
 *
 * @param version the API version the client asked for in the path, or {@link ApiVersion#MAX} without one
 * @param pathParams the template variables, e.g. {@code id} of {@code /containers/{id}/json}
 */
public record ApiCall(HttpExchange exchange, ApiVersion version, Map<String, String> pathParams) {

    public HttpRequest request() {
        return exchange.request();
    }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path variable {" + name + "}");
        }
        return value;
    }

    /** A boolean query flag as dockerd reads them: absent, empty, "0", "no", "false" and "none" are false. */
    public boolean queryFlag(String name) {
        String value = request().queryParam(name);
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "0", "no", "false", "none" -> false;
            case "1", "yes", "true" -> true;
            default -> throw AgentException.invalidArgument("invalid boolean value for " + name + ": '" + value + "'");
        };
    }
}
