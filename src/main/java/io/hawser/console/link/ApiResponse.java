package io.hawser.console.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A whole Engine API response from a host. */
public record ApiResponse(HttpHead head, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public int status() {
        return head.status();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("response body is not JSON: " + bodyText(), e);
        }
    }
}
