package io.hawser.agent.logs;

import java.util.Optional;

/** What {@code GET /containers/{id}/logs} needs from the container store; the container code implements it. */
@FunctionalInterface
public interface ContainerLogs {

    /** The container's logs by full id, unique id prefix or name (with or without the leading slash). */
    Optional<LogSource> find(String idOrName);
}
