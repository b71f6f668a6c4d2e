package io.hawser.console.containers;

import java.util.UUID;

/** How one action on one container went; {@code message} says why when it did not. */
public record ActionResult(UUID hostId, String hostName, String containerId, String containerName, boolean ok,
                           String message) {
}
