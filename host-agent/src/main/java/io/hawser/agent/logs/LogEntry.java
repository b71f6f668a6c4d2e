package io.hawser.agent.logs;

import java.time.Instant;
import java.util.Objects;

/**
 * One json-file log entry. {@code text} is the output as the container wrote it, normally one line with
 * its {@code \n}; without one it is a partial line (a line longer than the writer's buffer, or the last
 * output before the stream closed), which readers pass on verbatim.
 */
public record LogEntry(LogStream stream, Instant time, byte[] text) {

    public LogEntry {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(text, "text");
    }

    public boolean partial() {
        return text.length == 0 || text[text.length - 1] != '\n';
    }
}
