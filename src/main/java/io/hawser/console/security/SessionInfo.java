package io.hawser.console.security;

import java.time.Instant;

/**
 * A signed-in browser session as listed. {@code handle} names it for revocation without revealing its id (the id is
 * the session cookie, a credential).
 */
public record SessionInfo(String handle, String username, String address, Instant createdAt, Instant lastAccessedAt,
                          boolean current) {
}
