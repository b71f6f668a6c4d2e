package io.hawser.console.containers;

import java.util.UUID;

/**
 * How one action on one container went; {@code message} says why when it did not. {@code status} is the HTTP status
 * that tells the outcome apart for the REST API: 204 done, 304 nothing to do (already in that state), 404 no such
 * container (or not the caller's to see), 403 not allowed, 503 host not connected, 502 the request to the host failed,
 * and otherwise the agent's own error status (409 "container is running", 404 "No such container", ...).
 */
public record ActionResult(UUID hostId, String hostName, String containerId, String containerName, boolean ok,
                           String message, int status) {
}
