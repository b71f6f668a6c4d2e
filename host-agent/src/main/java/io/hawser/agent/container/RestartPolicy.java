package io.hawser.agent.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hawser.agent.common.AgentException;
import java.time.Duration;

/**
 * {@code --restart no|on-failure[:N]|always|unless-stopped} and the decision dockerd's restart manager makes
 * after each exit (moby restartmanager/restartmanager.go).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestartPolicy(@JsonProperty("Name") String name, @JsonProperty("MaximumRetryCount") int maximumRetryCount) {

    public static final RestartPolicy NO = new RestartPolicy("no", 0);
    /** restartmanager: defaultTimeout, doubled after each restart, capped at maxRestartTimeout. */
    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofMinutes(1);
    /** A run at least this long resets the backoff. */
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    public RestartPolicy {
        name = name == null || name.isEmpty() ? "no" : name;
    }

    /** dockerd's checks (runconfig validateRestartPolicy), with its messages. */
    public void validate() {
        switch (name) {
            case "no", "always", "unless-stopped" -> {
                if (maximumRetryCount != 0) {
                    throw AgentException.invalidArgument("invalid restart policy: maximum retry count can only be used with 'on-failure'");
                }
            }
            case "on-failure" -> {
                if (maximumRetryCount < 0) {
                    throw AgentException.invalidArgument("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw AgentException.invalidArgument("invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
    }

    public boolean isNone() {
        return name.equals("no");
    }

    /**
     * Whether to start the container again after an exit.
     *
     * @param restartCount restarts so far since the last manual start
     * @param manuallyStopped docker stop/kill asked for this exit: never restart then
     */
    public boolean shouldRestart(int exitCode, int restartCount, boolean manuallyStopped) {
        if (manuallyStopped) {
            return false;
        }
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
            default -> false;
        };
    }

    /**
     * Whether a container that is not running is started when the agent starts, as dockerd's restore does
     * (daemon.restore: {@code container.ShouldRestart()} with a fresh restart manager): {@code always} even
     * after docker stop, {@code unless-stopped} only when it was not stopped by the user, {@code on-failure}
     * after a failed exit within the count.
     */
    public boolean startsWithAgent(int exitCode, int restartCount, boolean manuallyStopped) {
        return name.equals("unless-stopped") ? !manuallyStopped : shouldRestart(exitCode, restartCount, false);
    }

    /**
     * The wait before the next restart: 100 ms doubled per consecutive restart, at most a minute, back to
     * 100 ms when the last run lasted 10 s or more.
     *
     * @param previous the delay used before the last restart, or null for the first
     */
    public static Duration nextDelay(Duration previous, Duration lastRunTime) {
        if (previous == null || lastRunTime.compareTo(RESET_AFTER) >= 0) {
            return FIRST_DELAY;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
    }
}
