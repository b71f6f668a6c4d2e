package io.hawser.agent.events;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One reader of the journal: first {@link #replay} the history, then {@link #poll} live events.
 *
 * <p>Backpressure: publishers only ever {@code offer} to a bounded queue. A subscriber that falls more
 * than the queue's capacity behind is cut off with a reason (see {@link #closeReason()}) rather than
 * slowing the engine down or silently missing events; it still gets the events queued before that.
 */
public final class EventSubscription implements AutoCloseable {

    /** Wakes a poller when the subscription closes; never handed out. */
    private static final Event CLOSED = new Event(Event.Type.DAEMON, "closed", "", java.util.Map.of(), Instant.EPOCH);

    private final EventJournal journal;
    private final List<JournalSegments.Slice> history;
    private final Instant since;
    private final Instant until;
    private final Predicate<Event> filter;
    private final LinkedBlockingQueue<Event> live;
    private volatile String closeReason;

    EventSubscription(EventJournal journal, List<JournalSegments.Slice> history, Instant since, Instant until,
                      Predicate<Event> filter, int capacity) {
        this.journal = journal;
        this.history = history;
        this.since = since;
        this.until = until;
        this.filter = filter;
        this.live = new LinkedBlockingQueue<>(capacity);
    }

    @FunctionalInterface
    public interface EventConsumer {
        void accept(Event e) throws IOException;
    }

    /** Hands every stored event in [since, until] that passes the filter to {@code consumer}, oldest first. */
    public void replay(EventConsumer consumer) throws IOException {
        try {
            for (JournalSegments.Slice slice : history) {
                if (closeReason != null) {
                    return;
                }
                SegmentReader.read(slice.channel(), slice.limit(), e -> {
                    if (wanted(e)) {
                        consumer.accept(e);
                    }
                    return closeReason == null;
                });
            }
        } finally {
            history.forEach(s -> SegmentReader.closeQuietly(s.channel()));
        }
    }

    /**
     * The next live event, waiting up to {@code timeout}; null on timeout or when closed (then
     * {@link #isClosed()} is true). Events queued before a close are still returned.
     */
    public Event poll(Duration timeout) throws InterruptedException {
        Event e = live.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        if (e == CLOSED) {
            live.offer(CLOSED); // for the next poll
            return null;
        }
        return e;
    }

    public boolean isClosed() {
        return closeReason != null;
    }

    /** Why the subscription ended (closed by its owner, too slow, journal closed); null while open. */
    public String closeReason() {
        return closeReason;
    }

    /** Called by the journal under its lock; never blocks. */
    void offer(Event e) {
        if (closeReason != null || !wanted(e)) {
            return;
        }
        if (!live.offer(e)) {
            closeWith("subscriber too slow: more than " + (live.size()) + " events behind");
        }
    }

    private boolean wanted(Event e) {
        return (since == null || !e.time().isBefore(since))
                && (until == null || !e.time().isAfter(until))
                && filter.test(e);
    }

    void closeWith(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        journal.unsubscribe(this);
        live.offer(CLOSED); // when the queue is full, the poller is not waiting anyway
    }

    @Override
    public void close() {
        closeWith("closed by the subscriber");
        history.forEach(s -> SegmentReader.closeQuietly(s.channel()));
    }
}
