package io.hawser.agent.common;

/**
 * What went wrong, coarsely enough that the API layer can answer it the way dockerd does
 * (see {@code io.hawser.agent.api.http.ErrorResponses}, the only place kinds become HTTP statuses).
 */
public enum ErrorKind {
    /** The thing named does not exist: 404. */
    NOT_FOUND,
    /** The request clashes with the current state (name in use, container running): 409. */
    CONFLICT,
    /** The request itself is wrong (bad parameter, malformed HTTP, unsupported API version): 400. */
    INVALID_ARGUMENT,
    /** The request was fine but the host failed us (a system call, the disk): 500. */
    SYSTEM
}
