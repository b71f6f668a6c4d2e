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
import io.hawser.console.link.HostNotConnectedException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final JdbcClient jdbc;

    ContainerDetails(HostApi hostApi, Access access, JdbcClient jdbc) {
        this.hostApi = hostApi;
        this.access = access;
        this.jdbc = jdbc;
    }

    /**
     * The container as the inventory last saw it (name, image, state, status, host name), else as its host describes
     * it (a container just created may not be listed yet); empty when neither knows it.
     */
    public Optional<FleetContainer> summary(ContainerRef ref) {
        access.require(ref.hostId(), Permission.HOST_VIEW);
        return jdbc.sql("""
                        SELECT h.name AS host_name, c.name, c.image, c.command, c.state, c.status, c.labels::text AS labels,
                               c.created, c.cpu_percent, c.memory_usage, c.memory_limit
                        FROM containers c JOIN hosts h ON h.id = c.host_id
                        WHERE c.host_id = :host AND c.container_id = :id""")
                .param("host", ref.hostId()).param("id", ref.containerId())
                .query((rs, n) -> {
                    Timestamp created = rs.getTimestamp("created");
                    return new FleetContainer(ref.hostId(), rs.getString("host_name"), ref.containerId(),
                            rs.getString("name"), rs.getString("image"), rs.getString("command"), rs.getString("state"),
                            rs.getString("status"), rs.getString("labels"), created == null ? null : created.toInstant(),
                            rs.getObject("cpu_percent", Double.class), rs.getObject("memory_usage", Long.class),
                            rs.getObject("memory_limit", Long.class));
                })
                .optional()
                .or(() -> fromHost(ref));
    }

    private Optional<FleetContainer> fromHost(ContainerRef ref) {
        JsonNode c;
        try {
            c = inspect(ref);
        } catch (AgentErrorException | HostNotConnectedException | UncheckedIOException e) {
            return Optional.empty();
        }
        String hostName = jdbc.sql("SELECT name FROM hosts WHERE id = ?").param(ref.hostId()).query(String.class).single();
        String name = c.path("Name").asText();
        String state = c.path("State").path("Status").asText();
        Instant created = null;
        try {
            created = OffsetDateTime.parse(c.path("Created").asText()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            // left empty
        }
        return Optional.of(new FleetContainer(ref.hostId(), hostName, ref.containerId(),
                name.startsWith("/") ? name.substring(1) : name, c.path("Config").path("Image").asText(),
                c.path("Path").asText(), state, state, c.path("Config").path("Labels").toString(), created, null, null, null));
    }

    /** The container's events from the fleet's event log ({@code fleet_events}), newest first. */
    public List<ContainerEvent> events(ContainerRef ref, int limit) {
        access.require(ref.hostId(), Permission.HOST_VIEW);
        return jdbc.sql("""
                        SELECT time, type, action, attributes::text AS attributes FROM fleet_events
                        WHERE host_id = :host AND actor_id = :id AND type = 'container'
                        ORDER BY time DESC, id DESC LIMIT :limit""")
                .param("host", ref.hostId()).param("id", ref.containerId()).param("limit", Math.max(0, limit))
                .query((rs, n) -> new ContainerEvent(rs.getTimestamp("time").toInstant(), rs.getString("type"),
                        rs.getString("action"), rs.getString("attributes")))
                .list();
    }

    /**
     * {@code GET /containers/{id}/stats}: one JSON document per second (as dockerd streams them) until closed.
     * The caller closes the stream.
     */
    public ApiStream statsStream(ContainerRef ref) throws IOException {
        access.require(ref.hostId(), Permission.HOST_VIEW);
        return openStream(ref, "/containers/" + ref.containerId() + "/stats?stream=1");
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
        return openStream(ref, path);
    }

    private ApiStream openStream(ContainerRef ref, String path) throws IOException {
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
