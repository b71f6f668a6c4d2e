package io.hawser.console.users;

/** Roles known to the console; the {@code roles} table holds the same names. */
public enum Role {
    ADMIN, OPERATOR, VIEWER;

    /** The Spring Security authority for this role. */
    public String authority() {
        return "ROLE_" + name();
    }
}
