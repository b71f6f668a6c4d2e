package io.hawser.agent.logs;

import java.util.Locale;

/** Which output of the container a log entry came from; {@code wire()} is json-file's {@code stream} value. */
public enum LogStream {
    STDOUT, STDERR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LogStream ofWire(String s) {
        return switch (s) {
            case "stdout" -> STDOUT;
            case "stderr" -> STDERR;
            default -> throw new IllegalArgumentException("unknown log stream '" + s + "'");
        };
    }
}
