package io.hawser.agent.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.storage.Change;
import io.hawser.agent.storage.ChangeScanner;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /containers/{id}/changes}: the container's upper directory against its lower ones (see
 * {@link ChangeScanner}), running or not. Without changes the answer is {@code null}, as dockerd's nil slice.
 */
final class ContainerChangesHandler implements Endpoint {

    record ChangeWire(@JsonProperty("Path") String path, @JsonProperty("Kind") int kind) {}

    private final ContainerViews containers;
    private final ChangeScanner scanner;

    ContainerChangesHandler(ContainerViews containers, ChangeScanner scanner) {
        this.containers = containers;
        this.scanner = scanner;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        String id = call.pathParam("id");
        ContainerViews.ContainerView view = containers.find(id).orElseThrow(() -> AgentException.notFound("No such container: " + id));
        List<Change> changes = scanner.scan(view.upperDir(), view.lowerDirs());
        call.exchange().send(200, "application/json", changes.isEmpty() ? "null".getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                : io.hawser.agent.api.http.Json.bytes(changes.stream().map(c -> new ChangeWire(c.path(), c.kind().wire())).toList()));
    }
}
