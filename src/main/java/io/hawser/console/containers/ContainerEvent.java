package io.hawser.console.containers;

import java.time.Instant;

/** One engine event of a container (create, start, die, kill, exec_start, ...), as the fleet's event log keeps it. */
public record ContainerEvent(Instant time, String type, String action, String attributesJson) {
}
