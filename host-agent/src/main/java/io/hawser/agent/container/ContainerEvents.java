package io.hawser.agent.container;

import io.hawser.agent.events.Event;
import io.hawser.agent.events.EventSink;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Container events as dockerd publishes them (daemon/events.go LogContainerEventWithAttributes): the
 * container's labels, then {@code name} (without '/') and {@code image} (as given at create), then the
 * action's own attributes (exitCode for die, signal for kill, oldName for rename).
 */
final class ContainerEvents {

    private final EventSink sink;
    private final Clock clock;

    ContainerEvents(EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void publish(ContainerRecord r, String action) {
        publish(r, action, Map.of());
    }

    void publish(ContainerRecord r, String action, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>(r.config().labels());
        attributes.put("name", r.name());
        attributes.put("image", r.config().image());
        attributes.putAll(extra);
        sink.publish(new Event(Event.Type.CONTAINER, action, r.id(), attributes, clock.instant()));
    }
}
