package io.hawser.console.teams;

import java.util.UUID;

/** A host a team owns. */
public record TeamHost(UUID id, String name) {
}
