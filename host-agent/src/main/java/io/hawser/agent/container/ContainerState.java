package io.hawser.agent.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What inspect shows as {@code State}, persisted with the container. Times are null until they happen
 * (inspect prints Go's zero time, 0001-01-01T00:00:00Z, for them).
 *
 * @param pid the init's host pid while running, else 0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerState(
        @JsonProperty("Status") ContainerStatus status,
        @JsonProperty("Pid") int pid,
        @JsonProperty("ExitCode") int exitCode,
        @JsonProperty("Error") String error,
        @JsonProperty("OOMKilled") boolean oomKilled,
        @JsonProperty("StartedAt") Instant startedAt,
        @JsonProperty("FinishedAt") Instant finishedAt) {

    public ContainerState {
        error = error == null ? "" : error;
    }

    public static ContainerState created() {
        return new ContainerState(ContainerStatus.CREATED, 0, 0, "", false, null, null);
    }

    /** The move to {@code next}, checked against {@link ContainerStatus}'s table. */
    ContainerState to(ContainerStatus next) {
        status.checkMove(next);
        return new ContainerState(next, pid, exitCode, error, oomKilled, startedAt, finishedAt);
    }

    ContainerState running(int initPid, Instant now) {
        status.checkMove(ContainerStatus.RUNNING);
        return new ContainerState(ContainerStatus.RUNNING, initPid, 0, "", false, now, finishedAt);
    }

    ContainerState exited(int code, boolean oom, String err, Instant at) {
        if (status != ContainerStatus.EXITED) {
            status.checkMove(ContainerStatus.EXITED);
        }
        return new ContainerState(ContainerStatus.EXITED, 0, code, err, oom, startedAt, at);
    }

    ContainerState withStatus(ContainerStatus s) {
        return new ContainerState(s, pid, exitCode, error, oomKilled, startedAt, finishedAt);
    }
}
