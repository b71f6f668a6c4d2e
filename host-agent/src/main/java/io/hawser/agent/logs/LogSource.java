package io.hawser.agent.logs;

import java.nio.file.Path;

/** One container's log, as the logs endpoint reads it. */
public interface LogSource {

    /**
     * The current json-file log, {@code <dir>/<id>-json.log}; rotated files sit beside it as
     * {@code .1}, {@code .2}, ... (see {@link JsonFileLogWriter}). It may not exist yet.
     */
    Path logFile();

    /** A TTY container has one output stream, sent raw rather than multiplexed. */
    boolean tty();

    /**
     * Whether the container is running now. Asked repeatedly while following; once it answers false the
     * reader drains what was written before the exit and ends the stream.
     */
    boolean running();
}
