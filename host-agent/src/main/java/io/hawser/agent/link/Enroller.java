package io.hawser.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Enrolls this host once: {@code POST <console>/api/agent/enroll} with the join token, for a host id and credential. */
final class Enroller {

    /** The console refused the token (unknown, expired, used up) or throttled us. */
    static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI endpoint;

    Enroller(HttpClient http, URI consoleUrl) {
        this.http = http;
        this.endpoint = LinkClient.resolve(consoleUrl, "api/agent/enroll");
    }

    /** @return {@code <hostId>.<credential>} */
    String enroll(String token, String hostname, String agentVersion) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(Map.of("token", token, "hostname", hostname, "agentVersion", agentVersion));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.createObjectNode();
        }
        if (response.statusCode() != 200) {
            String message = json.path("message").asText("HTTP " + response.statusCode());
            if (response.statusCode() / 100 == 4) {
                throw new RefusedException("the console refused the join token: " + message);
            }
            throw new IOException("enrollment failed: HTTP " + response.statusCode() + " " + message);
        }
        String hostId = json.path("hostId").asText("");
        String credential = json.path("credential").asText("");
        if (hostId.isEmpty() || credential.isEmpty()) {
            throw new IOException("enrollment answer without hostId or credential");
        }
        return hostId + "." + credential;
    }
}
