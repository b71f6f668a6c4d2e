package io.hawser.agent.logs;

import java.time.Instant;

/**
 * What {@code docker logs} asked for.
 *
 * @param since entries older than this are skipped; null for all
 * @param until reading ends at the first entry newer than this (and, following, when the clock passes it); null for none
 * @param tail how many lines from the end (counted over both streams, before since/until, as dockerd does); -1 for all
 * @param follow keep reading as the log grows until the container is no longer running
 */
public record LogReadOptions(boolean stdout, boolean stderr, Instant since, Instant until, int tail, boolean follow) {

    public static LogReadOptions all() {
        return new LogReadOptions(true, true, null, null, -1, false);
    }

    public LogReadOptions withFollow(boolean f) {
        return new LogReadOptions(stdout, stderr, since, until, tail, f);
    }
}
