package io.hawser.console.access;

import java.util.Locale;
import java.util.Optional;

/** A member's role in a team, weakest first (the {@code roles.team_rank} column holds the same order). */
public enum TeamRole {
    VIEWER, OPERATOR, TEAM_ADMIN;

    /** The rank stored in {@code roles.team_rank}. */
    public int rank() {
        return ordinal() + 1;
    }

    /** The authority an API token narrowed to this role carries (see {@link Access#caller()}). */
    public String ceilingAuthority() {
        return Access.CEILING_PREFIX + name();
    }

    /** The role named {@code name} (any case), if it is one. */
    public static Optional<TeamRole> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
