package io.hawser.console.events.api;

import io.hawser.console.common.api.Page;
import io.hawser.console.events.EventQuery;
import io.hawser.console.events.FleetEvents;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/events}: the engine events of every host the caller may see, newest first ({@link FleetEvents}). */
@RestController
@RequestMapping(path = "/api/events", produces = "application/json")
@Tag(name = "Events", description = "Engine events across the fleet")
class EventsController {

    static final int DEFAULT_LIMIT = 100;

    private final FleetEvents events;

    EventsController(FleetEvents events) {
        this.events = events;
    }

    @GetMapping
    @Operation(summary = "List events across the fleet, newest first",
            description = "Filters combine with AND. Times are ISO-8601 instants (2026-01-02T03:04:05Z) or Unix seconds.")
    Page<EventJson> list(
            @Parameter(description = "only this host (its id)") @RequestParam(required = false) UUID host,
            @Parameter(description = "container, image, network or volume") @RequestParam(required = false) String type,
            @Parameter(description = "only this container's events: its name, full id or id prefix")
            @RequestParam(required = false) String container,
            @Parameter(description = "only this action, e.g. start, die, destroy, import") @RequestParam(required = false) String action,
            @Parameter(description = "events at or after this time") @RequestParam(required = false) String since,
            @Parameter(description = "events before this time") @RequestParam(required = false) String until,
            @Parameter(description = "how many to skip") @RequestParam(defaultValue = "0") int offset,
            @Parameter(description = "page size, 1 to 1000") @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > FleetEvents.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + FleetEvents.MAX_LIMIT);
        }
        EventQuery query = new EventQuery(host, type, container, action, time("since", since), time("until", until));
        List<EventJson> items = events.list(query, offset, limit).stream().map(EventJson::of).toList();
        return new Page<>(items, events.count(query), offset, limit);
    }

    /** An ISO-8601 instant or Unix seconds (as {@code docker events --since} takes them); null when absent. */
    static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            if (v.matches("\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(v));
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is not a time: use an ISO-8601 instant such as "
                    + "2026-01-02T03:04:05Z, or Unix seconds");
        }
    }
}
