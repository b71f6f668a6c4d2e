package io.hawser.console.containers;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.console.access.Access;
import io.hawser.console.access.Permission;
import io.hawser.console.common.api.AgentErrorException;
import io.hawser.console.link.ApiResponse;
import io.hawser.console.link.ApiStream;
import io.hawser.console.link.HostApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Service;

/**
 * One container, read from its own host over the link as the docker CLI reads it: inspect, top, diff, a stats
 * sample and its logs. Each call first asks {@link Access} for HOST_VIEW on the container's host (404 for a host the
 * caller may not see, as if it did not exist); an agent's error (404 "No such container", 409 "is not running") is
 * passed on as {@link AgentErrorException} with the agent's status and message.
 */
@Service
public class ContainerDetails {

    private final HostApi hostApi;
    private final Access access;

    ContainerDetails(HostApi hostApi, Access access) {
        this.hostApi = hostApi;
        this.access = access;
    }

    /** {@code GET /containers/{id}/json}: dockerd's inspect document. */
    public JsonNode inspect(ContainerRef ref) {
        return json(ref, "/containers/" + ref.containerId() + "/json");
    }

    /** {@code GET /containers/{id}/top}: {@code Titles} and {@code Processes}, as {@code docker top} shows. */
    public JsonNode top(ContainerRef ref, String psArgs) {
        String query = psArgs == null || psArgs.isBlank() ? "" : "?ps_args=" + URLEncoder.encode(psArgs, StandardCharsets.UTF_8);
        return json(ref, "/containers/" + ref.containerId() + "/top" + query);
    }

    /** {@code GET /containers/{id}/changes}: {@code [{"Path", "Kind": 0 modified, 1 added, 2 deleted}]}. */
    public JsonNode diff(ContainerRef ref) {
        return json(ref, "/containers/" + ref.containerId() + "/changes");
    }

    /** {@code GET /containers/{id}/stats?stream=false}: one sample (with the previous CPU reading for a percentage). */
    public JsonNode statsOnce(ContainerRef ref) {
        return json(ref, "/containers/" + ref.containerId() + "/stats?stream=false");
    }

    /**
     * The container's logs as the agent streams them ({@code GET /containers/{id}/logs}): Docker's 8-byte frames
     * unless the container has a TTY (see {@code inspect().Config.Tty}). With {@code follow} the stream stays open
     * and brings new lines as they are written; the caller closes it.
     *
     * @param tail the number of last lines, or {@code null} for all
     */
    public ApiStream logs(ContainerRef ref, boolean follow, Integer tail, boolean timestamps) throws IOException {
        access.require(ref.hostId(), Permission.HOST_VIEW);
        String path = "/containers/" + ref.containerId() + "/logs?stdout=1&stderr=1"
                + (follow ? "&follow=1" : "") + (timestamps ? "&timestamps=1" : "")
                + (tail == null ? "" : "&tail=" + Math.max(0, tail));
        ApiStream stream = hostApi.forHost(ref.hostId()).stream("GET", path, null, null);
        if (stream.status() / 100 != 2) {
            try (stream) {
                throw agentError(stream.status(), stream.body().readAllBytes());
            }
        }
        return stream;
    }

    private JsonNode json(ContainerRef ref, String path) {
        access.require(ref.hostId(), Permission.HOST_VIEW);
        try {
            ApiResponse response = hostApi.forHost(ref.hostId()).get(path);
            if (response.status() / 100 != 2) {
                throw agentError(response.status(), response.body());
            }
            return response.json();
        } catch (IOException e) {
            throw new UncheckedIOException("request to the host failed: " + e.getMessage(), e);
        }
    }

    /** dockerd's {@code {"message": ...}} of an error answer, or the bare status when there is none. */
    static AgentErrorException agentError(int status, byte[] body) {
        String message = "the agent answered " + status;
        try {
            String m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("message").asText("");
            if (!m.isEmpty()) {
                message = m;
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the status
        }
        return new AgentErrorException(status, message);
    }
}
