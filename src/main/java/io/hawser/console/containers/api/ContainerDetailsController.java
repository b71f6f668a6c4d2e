package io.hawser.console.containers.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.console.containers.ContainerDetails;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.ContainerRunner;
import io.hawser.console.containers.LogStream;
import io.hawser.console.containers.RunSpec;
import io.hawser.console.link.ApiStream;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * One container of the fleet for scripts: inspect, top, diff, a stats sample and logs (followed if asked), as the
 * Engine API answers them on the container's host; and running a new container on a host. Authorisation is the
 * services' (HOST_VIEW to read, CONTAINER_CONTROL to run); errors are mapped by {@code ApiErrors}.
 */
@RestController
@RequestMapping(path = "/api/containers", produces = MediaType.APPLICATION_JSON_VALUE)
public class ContainerDetailsController {

    private final ContainerDetails details;
    private final ContainerRunner runner;

    ContainerDetailsController(ContainerDetails details, ContainerRunner runner) {
        this.details = details;
        this.runner = runner;
    }

    /** The Engine API's inspect document ({@code docker inspect}). */
    @GetMapping("/{hostId}/{containerId}/json")
    public JsonNode inspect(@PathVariable UUID hostId, @PathVariable String containerId) {
        return details.inspect(new ContainerRef(hostId, containerId));
    }

    /** Processes in the container ({@code docker top}): {@code Titles} and {@code Processes}. */
    @GetMapping("/{hostId}/{containerId}/top")
    public JsonNode top(@PathVariable UUID hostId, @PathVariable String containerId,
                        @RequestParam(name = "ps_args", required = false) String psArgs) {
        return details.top(new ContainerRef(hostId, containerId), psArgs);
    }

    /** Changes to the container's filesystem ({@code docker diff}): Kind 0 modified, 1 added, 2 deleted. */
    @GetMapping("/{hostId}/{containerId}/changes")
    public JsonNode changes(@PathVariable UUID hostId, @PathVariable String containerId) {
        return details.diff(new ContainerRef(hostId, containerId));
    }

    /** One stats sample ({@code docker stats --no-stream}), in the Engine API's shape. */
    @GetMapping("/{hostId}/{containerId}/stats")
    public JsonNode stats(@PathVariable UUID hostId, @PathVariable String containerId) {
        return details.statsOnce(new ContainerRef(hostId, containerId));
    }

    /**
     * The container's output as plain text (stdout and stderr together, without Docker's stream framing). With
     * {@code follow=true} the response stays open and brings new lines as they are written.
     */
    @GetMapping(path = "/{hostId}/{containerId}/logs", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<StreamingResponseBody> logs(@PathVariable UUID hostId, @PathVariable String containerId,
                                                      @RequestParam(required = false) Integer tail,
                                                      @RequestParam(defaultValue = "false") boolean follow,
                                                      @RequestParam(defaultValue = "false") boolean timestamps)
            throws IOException {
        ApiStream stream = details.logs(new ContainerRef(hostId, containerId), follow, tail, timestamps);
        StreamingResponseBody body = out -> {
            try (stream) {
                LogStream.copy(stream, (buffer, length) -> {
                    out.write(buffer, 0, length);
                    out.flush();
                });
            }
        };
        return ResponseEntity.ok().contentType(new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8))
                .header("X-Content-Type-Options", "nosniff").body(body);
    }

    /** Creates and starts a container on the host ({@code docker run -d}); answers 201 with its id. */
    @PostMapping(path = "/{hostId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ContainerRunner.Started> run(@PathVariable UUID hostId, @RequestBody RunSpec spec) {
        ContainerRunner.Started started = runner.run(hostId, spec);
        return ResponseEntity.created(URI.create("/api/containers/" + hostId + "/" + started.containerId() + "/json"))
                .body(started);
    }
}
