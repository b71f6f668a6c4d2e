package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A container's status as dockerd names it (State.Status, {@code ps --filter status=}), with the moves the
 * agent allows between them. Anything else is a bug in the caller, so {@link #checkMove} throws.
 *
 * <pre>
 * created ──start──▶ running ──exit──▶ exited ──start──▶ running
 *    │                 │  ▲                │ ▲
 *    │          pause  ▼  │ unpause        │ └──── restarting (restart policy backoff)
 *    │               paused                ▼
 *    └───────────────────────────────▶ removing ──(failure)──▶ dead
 * </pre>
 */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    private static final Map<ContainerStatus, Set<ContainerStatus>> MOVES = Map.of(
            CREATED, EnumSet.of(RUNNING, EXITED, REMOVING, DEAD),
            RUNNING, EnumSet.of(PAUSED, EXITED),
            PAUSED, EnumSet.of(RUNNING, EXITED),
            RESTARTING, EnumSet.of(RUNNING, EXITED, REMOVING),
            EXITED, EnumSet.of(RUNNING, RESTARTING, REMOVING),
            REMOVING, EnumSet.of(DEAD, EXITED, CREATED),
            DEAD, EnumSet.of(REMOVING));

    /** The API's lower-case name. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ContainerStatus parse(String wire) {
        for (ContainerStatus s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown container status: " + wire);
    }

    public boolean canMoveTo(ContainerStatus next) {
        return MOVES.get(this).contains(next);
    }

    /** Refuses a move the table does not allow (a programming error, reported as a system error). */
    public void checkMove(ContainerStatus next) {
        if (!canMoveTo(next)) {
            throw AgentException.system("illegal container state change " + wire() + " -> " + next.wire());
        }
    }

    /** Whether the init process exists: running or paused (dockerd's State.Running is true for both). */
    public boolean hasProcess() {
        return this == RUNNING || this == PAUSED;
    }

    public boolean canStart() {
        return this == CREATED || this == EXITED || this == RESTARTING;
    }

    public boolean canStop() {
        return hasProcess() || this == RESTARTING;
    }

    /** Checks done before a removal, with dockerd's messages (daemon/delete.go). */
    public void checkRemovable(String id, boolean force) {
        if (this == REMOVING) {
            throw AgentException.conflict("removal of container " + id + " is already in progress");
        }
        if (force) {
            return;
        }
        if (this == PAUSED) {
            throw AgentException.conflict("You cannot remove a paused container " + id
                    + ". Unpause and then stop the container before attempting removal or force remove");
        }
        if (this == RUNNING || this == RESTARTING) {
            throw AgentException.conflict("You cannot remove a " + (this == RUNNING ? "running" : "restarting")
                    + " container " + id + ". Stop the container before attempting removal or force remove");
        }
    }
}
