package io.hawser.agent.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Reads a json-file log written as {@link JsonFileLogWriter} describes: the rotated files oldest first,
 * then the current one; streaming in blocks, never a whole file in memory; the tail found by reading
 * backwards. Following, it polls the current file, drains a file that was rotated away before moving to
 * the new one, and ends once the container has stopped and everything it wrote has been read.
 */
public final class JsonFileLogReader {

    private static final Logger LOG = Logger.getLogger(JsonFileLogReader.class.getName());

    /** Receives entries; {@link #idle()} is called when a follower has caught up, before it waits. */
    public interface LogConsumer {
        void entry(LogEntry e) throws IOException;

        default void idle() throws IOException {}
    }

    private final Path logFile;
    private final Duration pollInterval;
    private final Clock clock;

    public JsonFileLogReader(Path logFile) {
        this(logFile, Duration.ofMillis(100), Clock.systemUTC());
    }

    JsonFileLogReader(Path logFile, Duration pollInterval, Clock clock) {
        this.logFile = logFile;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    /** {@code <file>.N}, ..., {@code <file>.1}, {@code <file>}: those that exist, oldest first. */
    static List<Path> files(Path logFile) {
        List<Path> rotated = new ArrayList<>();
        for (int i = 1; Files.exists(logFile.resolveSibling(logFile.getFileName() + "." + i)); i++) {
            rotated.add(0, logFile.resolveSibling(logFile.getFileName() + "." + i));
        }
        rotated.add(logFile);
        return rotated;
    }

    /**
     * Reads according to {@code options}; returns when done, when {@code cancelled} turns true (the client
     * went away) or, following, when the container stopped and the log is drained.
     *
     * @param running sampled before each final drain, so lines written just before the exit are read
     */
    public void read(LogReadOptions options, LogConsumer consumer, BooleanSupplier running, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        List<LineChannel> open = new ArrayList<>();
        boolean currentOpened = false;
        try {
            for (Path p : files(logFile)) {
                LineChannel ch = LineChannel.openIfExists(p);
                if (ch != null) {
                    open.add(ch);
                    currentOpened = p.equals(logFile);
                }
            }
            EntryHandler handler = new EntryHandler(options, consumer);
            TailLocator.Position start = options.tail() < 0 ? new TailLocator.Position(0, 0) : TailLocator.find(open, options.tail());
            LineChannel current = currentOpened ? open.get(open.size() - 1) : null;
            for (int i = start.file(); i < open.size(); i++) {
                LineChannel ch = open.get(i);
                ch.seek(i == start.file() ? start.offset() : 0);
                if (!ch.drain(handler)) {
                    return;
                }
            }
            if (options.follow()) {
                follow(current, handler, consumer, running, cancelled, options);
            }
        } finally {
            for (LineChannel ch : open) {
                ch.close();
            }
        }
    }

    private void follow(LineChannel current, EntryHandler handler, LogConsumer consumer, BooleanSupplier running,
                        BooleanSupplier cancelled, LogReadOptions options) throws IOException, InterruptedException {
        LineChannel opened = null; // channels this method opened, closed here
        try {
            while (!cancelled.getAsBoolean()) {
                boolean alive = running.getAsBoolean();
                if (current == null) {
                    current = opened = LineChannel.openIfExists(logFile);
                }
                if (current != null) {
                    current.restartIfTruncated();
                    if (!current.drain(handler)) {
                        return;
                    }
                    Object key = LineChannel.currentKey(logFile);
                    if (key != null && !key.equals(current.fileKey())) {
                        // Rotated: what was written before the rename is in the file we hold; then the new one.
                        if (!current.drain(handler)) {
                            return;
                        }
                        if (opened != null) {
                            opened.close();
                        }
                        current = opened = null;
                        continue;
                    }
                }
                if (!alive || (options.until() != null && clock.instant().isAfter(options.until()))) {
                    return;
                }
                consumer.idle();
                Thread.sleep(pollInterval.toMillis());
            }
        } finally {
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** Decodes a line and applies since, until and the stream choice. */
    private static final class EntryHandler implements LineChannel.LineHandler {
        private final LogReadOptions options;
        private final LogConsumer consumer;

        EntryHandler(LogReadOptions options, LogConsumer consumer) {
            this.options = options;
            this.consumer = consumer;
        }

        @Override
        public boolean line(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return true;
            }
            LogEntry e;
            try {
                e = JsonLogLine.decode(b, off, len);
            } catch (IllegalArgumentException bad) {
                LOG.fine("skipping a bad json-file line: " + bad.getMessage());
                return true;
            }
            if (options.until() != null && e.time().isAfter(options.until())) {
                return false;
            }
            if (options.since() != null && e.time().isBefore(options.since())) {
                return true;
            }
            if (e.stream() == LogStream.STDOUT ? options.stdout() : options.stderr()) {
                consumer.entry(e);
            }
            return true;
        }
    }
}
