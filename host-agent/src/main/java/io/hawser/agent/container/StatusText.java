package io.hawser.agent.container;

import java.time.Duration;
import java.time.Instant;

/** {@code docker ps}'s STATUS column as dockerd words it (container/state.go String, go-units HumanDuration). */
public final class StatusText {

    private StatusText() {}

    public static String of(ContainerState s, Instant now) {
        return switch (s.status()) {
            case RUNNING -> "Up " + humanDuration(Duration.between(s.startedAt(), now));
            case PAUSED -> "Up " + humanDuration(Duration.between(s.startedAt(), now)) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + ago(s.finishedAt(), now);
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
            case CREATED -> "Created";
            case EXITED -> s.finishedAt() == null ? "Exited (" + s.exitCode() + ")"
                    : "Exited (" + s.exitCode() + ") " + ago(s.finishedAt(), now);
        };
    }

    private static String ago(Instant then, Instant now) {
        return then == null ? "" : humanDuration(Duration.between(then, now)) + " ago";
    }

    /** go-units HumanDuration. */
    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMillis() / 3_600_000.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }
}
