package io.hawser.console.containers;

import java.util.Objects;
import java.util.UUID;

/** Which container on which host: a container id is unique on its host only. */
public record ContainerRef(UUID hostId, String containerId) {

    public ContainerRef {
        Objects.requireNonNull(hostId, "hostId");
        if (containerId == null || !containerId.matches("[0-9a-f]{1,64}")) {
            throw new IllegalArgumentException("not a container id: " + containerId);
        }
    }
}
