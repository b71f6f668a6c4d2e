package io.hawser.console.access;

/**
 * What a team role may do on the hosts its team owns (the {@code permissions} table holds the same names, and
 * {@code role_permissions} says which role has which). A global administrator has every permission on every host.
 */
public enum Permission {
    /** See the host and its containers, images, events, logs, inspect, top, diff and stats. */
    HOST_VIEW,
    /** Start, stop, restart, kill, remove and run containers. */
    CONTAINER_CONTROL,
    /** Open a terminal (exec) in a container. */
    CONTAINER_EXEC,
    /** Pull, import, tag and remove images. */
    IMAGE_MANAGE,
    /** Create join tokens that enroll hosts into the team (a team permission, not a host one). */
    HOST_ENROLL,
    /** Manage the team's members and their roles (a team permission). */
    TEAM_MANAGE
}
