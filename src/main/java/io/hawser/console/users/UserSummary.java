package io.hawser.console.users;

import java.time.Instant;

/** A user as the administration lists them. */
public record UserSummary(long id, String username, boolean enabled, boolean admin, Instant createdAt) {
}
