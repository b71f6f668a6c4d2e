package io.hawser.console.teams;

import io.hawser.console.access.TeamRole;

/** A user's role in a team. */
public record TeamMember(String username, TeamRole role) {
}
