package io.hawser.console.users;

import io.hawser.console.access.TeamRole;
import java.time.Instant;
import java.util.Optional;

/**
 * An API token as listed (never its secret).
 *
 * @param ceiling the team role the token is narrowed to; empty: acts with all of its user's rights
 * @param lastUsedAt when a request last authenticated with it, to the minute (empty: never)
 */
public record ApiToken(long id, String username, String name, Optional<TeamRole> ceiling, Instant createdAt,
                       Instant expiresAt, Optional<Instant> lastUsedAt, Optional<Instant> revokedAt) {

    /** Whether it still authenticates at {@code now} (its user's being enabled aside). */
    public boolean activeAt(Instant now) {
        return revokedAt.isEmpty() && now.isBefore(expiresAt);
    }
}
