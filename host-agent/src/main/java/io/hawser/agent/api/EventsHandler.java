package io.hawser.agent.api;

import io.hawser.agent.events.Event;
import io.hawser.agent.events.EventFilter;
import io.hawser.agent.events.EventJournal;
import io.hawser.agent.events.EventJson;
import io.hawser.agent.events.EventSubscription;
import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * {@code GET /events?since&until&filters}: the journal's events as JSON objects, one per line, each
 * flushed. As dockerd (api/server/router/system/system_routes.go, getEvents): history only when since or
 * until is given; without until the stream then stays open for live events until the client leaves;
 * with until in the future it ends at that time; with until in the past it ends after the history.
 */
public final class EventsHandler implements Endpoint {

    private static final Logger LOG = Logger.getLogger(EventsHandler.class.getName());
    /** How often a quiet stream checks for until and client departure. */
    private static final Duration TICK = Duration.ofMillis(500);

    private final EventJournal journal;
    private final Clock clock;

    public EventsHandler(EventJournal journal) {
        this(journal, Clock.systemUTC());
    }

    EventsHandler(EventJournal journal, Clock clock) {
        this.journal = journal;
        this.clock = clock;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        Instant now = clock.instant();
        String sinceText = call.request().queryParam("since");
        String untilText = call.request().queryParam("until");
        Instant since = QueryParams.time("since", sinceText, now);
        Instant until = QueryParams.time("until", untilText, now);
        if (since != null && until != null && until.isBefore(since)) {
            throw AgentException.invalidArgument("`since` time (" + sinceText + ") cannot be after `until` time (" + untilText + ")");
        }
        EventFilter filter = new EventFilter(QueryParams.filters(call.request().queryParam("filters")));

        try (EventSubscription sub = journal.subscribe(since, until, filter)) {
            boolean onlyPast = until != null && until.isBefore(now);
            if (!onlyPast) { // before the head, so that it says Connection: close
                call.exchange().onClientGone(sub::close);
            }
            OutputStream out = call.exchange().sendChunked(200, "application/json");
            out.flush();
            sub.replay(e -> write(out, e));
            out.flush();
            if (onlyPast) {
                return;
            }
            while (true) {
                Duration wait = TICK;
                if (until != null) {
                    Duration left = Duration.between(clock.instant(), until);
                    if (left.isNegative()) {
                        return;
                    }
                    wait = left.compareTo(TICK) < 0 ? left : TICK;
                }
                Event e = sub.poll(wait);
                if (e != null) {
                    write(out, e);
                    out.flush();
                } else if (sub.isClosed()) {
                    if (sub.closeReason().contains("too slow")) {
                        LOG.warning("GET /events: ending the stream: " + sub.closeReason());
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream out, Event e) throws IOException {
        out.write(EventJson.bytes(e));
        out.write('\n');
    }
}
