package io.hawser.agent.api.http;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One parsed HTTP/1.x request.
 *
 * @param target the request target as sent, e.g. {@code /v1.47/containers/json?all=1}
 * @param path the percent-decoded path of the target, e.g. {@code /v1.47/containers/json}
 * @param query decoded query parameters in order of appearance
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param body the request body, already de-chunked and bounded; empty when there is none
 */
public record HttpRequest(String method, String target, String path, Map<String, List<String>> query,
                          String version, Headers headers, InputStream body) {

    public boolean isHead() {
        return "HEAD".equals(method);
    }

    /** The first value of query parameter {@code name}, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it. */
    public boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) {
            return false;
        }
        return "HTTP/1.1".equals(version) || headers.hasToken("Connection", "keep-alive");
    }
}
