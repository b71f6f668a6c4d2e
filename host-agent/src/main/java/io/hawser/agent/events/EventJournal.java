package io.hawser.agent.events;

import io.hawser.agent.common.AgentException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The engine's event journal: durable, bounded, queryable by time and filter, and live.
 *
 * <p>On disk: {@code <dir>/events-NNNNNNNNNNNN.jsonl} segments, one {@link EventJson} object per line,
 * oldest segment first; the newest is appended to. A segment is closed when the next line would take it
 * past {@link Options#segmentBytes}; after that, whole old segments are deleted while the journal is over
 * {@link Options#maxBytes} or a segment was last written before {@link Options#maxAge}. dockerd keeps
 * only the last 256 events in memory; here they survive restarts, which {@code docker events --since}
 * relies on after an agent restart.
 *
 * <p>fsync policy: every event is written with one {@code write(2)} straight to the file (no user-space
 * buffer), so a crash or {@code kill -9} of the agent loses nothing: the page cache has it. The file is
 * not fsynced per event: a container start publishes several events on the caller's path, dockerd
 * offers no durability at all, and only a power loss could lose the last seconds. Segments are fsynced
 * when closed. A line torn by a power loss is cut off when the journal is opened again.
 *
 * <p>Nothing is kept in memory but the segment list: a query reads the segments it needs.
 */
public final class EventJournal implements EventSink, Closeable {

    private static final Logger LOG = Logger.getLogger(EventJournal.class.getName());

    /**
     * @param maxBytes the journal's size bound (whole segments are deleted; the current one is kept)
     * @param segmentBytes the size at which a segment is closed and a new one started
     * @param maxAge segments last written longer ago are deleted
     * @param subscriberQueue events a live subscriber may fall behind before it is cut off
     */
    public record Options(long maxBytes, long segmentBytes, Duration maxAge, int subscriberQueue) {
        public Options {
            if (segmentBytes <= 0 || maxBytes < segmentBytes || maxAge.isNegative() || subscriberQueue < 1) {
                throw new IllegalArgumentException("invalid event journal options: " + maxBytes + " " + segmentBytes
                        + " " + maxAge + " " + subscriberQueue);
            }
        }

        /** 16 MiB (tens of thousands of events) in 1 MiB segments, 30 days. */
        public static Options defaults() {
            return new Options(16L << 20, 1L << 20, Duration.ofDays(30), 4096);
        }
    }

    private final JournalSegments segments;
    private final Options options;
    private final Clock clock;
    private final Object lock = new Object();
    private final List<EventSubscription> subscribers = new ArrayList<>();

    private EventJournal(JournalSegments segments, Options options, Clock clock) {
        this.segments = segments;
        this.options = options;
        this.clock = clock;
    }

    /** Opens (creating when needed) the journal in {@code dir}, with the events of earlier runs. */
    public static EventJournal open(Path dir, Options options) {
        return open(dir, options, Clock.systemUTC());
    }

    static EventJournal open(Path dir, Options options, Clock clock) {
        JournalSegments segments = JournalSegments.open(dir);
        EventJournal journal = new EventJournal(segments, options, clock);
        journal.applyRetention();
        return journal;
    }

    /**
     * Appends the event and hands it to live subscribers. Never blocks on a subscriber and never throws
     * for a disk failure (the operation that happened must not fail for its event): that is logged.
     */
    @Override
    public void publish(Event event) {
        byte[] json = EventJson.bytes(event);
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        synchronized (lock) {
            try {
                if (segments.currentSize() > 0 && segments.currentSize() + line.remaining() > options.segmentBytes()) {
                    segments.startNext();
                    applyRetention();
                }
                segments.append(line, event.time());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "event journal " + segments.dir() + ": cannot write event "
                        + event.type().wire() + " " + event.action() + ": " + e);
            }
            for (EventSubscription s : List.copyOf(subscribers)) {
                s.offer(event);
            }
        }
    }

    /**
     * Subscribes: the history (from the journal, as of now) followed by live events, with nothing lost or
     * repeated between them. As dockerd (SubscribeToEvents), there is no history unless since or until
     * is given.
     *
     * @param since oldest event wanted, inclusive; null for none
     * @param until newest event wanted, inclusive; null for none
     */
    public EventSubscription subscribe(Instant since, Instant until, Predicate<Event> filter) {
        Objects.requireNonNull(filter, "filter");
        synchronized (lock) {
            List<JournalSegments.Slice> history = since == null && until == null ? List.of() : segments.slices(since);
            EventSubscription s = new EventSubscription(this, history, since, until, filter, options.subscriberQueue());
            subscribers.add(s);
            return s;
        }
    }

    void unsubscribe(EventSubscription s) {
        synchronized (lock) {
            subscribers.remove(s);
        }
    }

    int subscriberCount() {
        synchronized (lock) {
            return subscribers.size();
        }
    }

    private void applyRetention() {
        segments.deleteOldest(options.maxBytes(), clock.instant().minus(options.maxAge()));
    }

    @Override
    public void close() {
        List<EventSubscription> open;
        synchronized (lock) {
            open = List.copyOf(subscribers);
        }
        open.forEach(s -> s.closeWith("the event journal closed"));
        synchronized (lock) {
            segments.close();
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "event journal: cannot delete " + p + ": " + e);
        }
    }

    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw AgentException.system("list event journal " + dir, e);
        }
    }

    static FileChannel openAppend(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
}
