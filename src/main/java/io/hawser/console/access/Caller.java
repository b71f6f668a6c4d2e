package io.hawser.console.access;

import java.util.Optional;

/**
 * Who asks, as {@link Access} sees them: a user name, whether they hold the global ADMIN role, and the ceiling of
 * a narrowed API token (empty for a sign-in or an unnarrowed token).
 */
public record Caller(String username, boolean globalAdmin, Optional<TeamRole> ceiling) {

    /** A global administrator not narrowed by a token: may do everything, everywhere. */
    public boolean unrestrictedAdmin() {
        return globalAdmin && ceiling.isEmpty();
    }

    /** The rank no team role of this caller may exceed. */
    int ceilingRank() {
        return ceiling.map(TeamRole::rank).orElse(TeamRole.TEAM_ADMIN.rank());
    }
}
