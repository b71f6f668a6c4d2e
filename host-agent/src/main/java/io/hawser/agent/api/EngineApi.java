package io.hawser.agent.api;

import io.hawser.agent.api.http.Headers;
import io.hawser.agent.api.http.HttpExchange;
import io.hawser.agent.api.http.HttpHandler;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.sys.HostInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker Engine API: routes by method and path template, with the optional {@code /vMAJOR.MINOR}
 * prefix checked against {@link ApiVersion#MIN}..{@link ApiVersion#MAX}. As in dockerd, a path no route
 * knows is 404 "page not found" whatever its version; the version is checked only for known routes.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/">Engine API v1.47</a>
 */
public final class EngineApi implements HttpHandler {

    /** dockerd's route prefix is {@code /v{version:[0-9.]+}}. */
    private static final Pattern VERSION_PREFIX = Pattern.compile("/v([0-9.]+)(/.*)");

    private record Route(String method, PathTemplate template, Endpoint endpoint) {}

    private final List<Route> routes;

    private EngineApi(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The API with every endpoint this agent implements. */
    public static EngineApi create(BuildInfo build, HostInfo host) {
        return standardRoutes(build, host).build();
    }

    /** A builder holding every endpoint this agent implements; tests add their own routes to it. */
    public static Builder standardRoutes(BuildInfo build, HostInfo host) {
        PingHandler ping = new PingHandler();
        return builder()
                .route("GET", "/_ping", ping)
                .route("HEAD", "/_ping", ping)
                .route("GET", "/version", new VersionHandler(build, host));
    }

    /** Headers dockerd sends with every response, errors included. */
    public static Headers defaultHeaders(BuildInfo build) {
        return new Headers()
                .set("Api-Version", ApiVersion.MAX.toString())
                .set("Docker-Experimental", "false")
                .set("Ostype", "linux")
                .set("Server", "Hawser/" + build.version() + " (linux)");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.request().path();
        String requestedVersion = null;
        Matcher m = VERSION_PREFIX.matcher(path);
        if (m.matches()) {
            requestedVersion = m.group(1);
            path = m.group(2);
        }
        String method = exchange.request().method();
        for (Route route : routes) {
            if (!route.method().equals(method)) {
                continue;
            }
            Optional<Map<String, String>> vars = route.template().match(path);
            if (vars.isPresent()) {
                ApiVersion version = requestedVersion == null ? ApiVersion.MAX : ApiVersion.negotiate(requestedVersion);
                route.endpoint().handle(new ApiCall(exchange, version, vars.get()));
                return;
            }
        }
        throw AgentException.notFound("page not found");
    }

    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        public Builder route(String method, String template, Endpoint endpoint) {
            routes.add(new Route(method, new PathTemplate(template), endpoint));
            return this;
        }

        public EngineApi build() {
            return new EngineApi(routes);
        }
    }
}
