package io.hawser.agent.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * Everything the agent keeps of one container, as {@code <data-root>/containers/<id>/config.v2.json}
 * (dockerd's file name; its content is ours). Immutable: changes make a new record, written atomically.
 *
 * @param imageId  {@code sha256:<hex>} of the image it was created from
 * @param path     the command (Path in inspect), args its arguments
 * @param hasBeenManuallyStopped set by stop/kill, cleared by start: the restart policy does not apply
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
        @JsonProperty("ID") String id,
        @JsonProperty("Created") Instant created,
        @JsonProperty("Name") String name,
        @JsonProperty("Image") String imageId,
        @JsonProperty("Path") String path,
        @JsonProperty("Args") List<String> args,
        @JsonProperty("Config") ContainerConfig config,
        @JsonProperty("HostConfig") HostConfig hostConfig,
        @JsonProperty("State") ContainerState state,
        @JsonProperty("RestartCount") int restartCount,
        @JsonProperty("HasBeenManuallyStopped") boolean hasBeenManuallyStopped) {

    public ContainerRecord {
        args = List.copyOf(args);
    }

    public ContainerId containerId() {
        return new ContainerId(id);
    }

    ContainerRecord withState(ContainerState s) {
        return new ContainerRecord(id, created, name, imageId, path, args, config, hostConfig, s, restartCount,
                hasBeenManuallyStopped);
    }

    ContainerRecord withName(String n) {
        return new ContainerRecord(id, created, n, imageId, path, args, config, hostConfig, state, restartCount,
                hasBeenManuallyStopped);
    }

    ContainerRecord withRestart(int count, boolean manuallyStopped) {
        return new ContainerRecord(id, created, name, imageId, path, args, config, hostConfig, state, count,
                manuallyStopped);
    }
}
