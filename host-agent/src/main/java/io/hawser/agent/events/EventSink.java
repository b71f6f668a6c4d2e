package io.hawser.agent.events;

/** Where the parts of the agent report what happened. The journal (durable, queryable, live) implements it. */
@FunctionalInterface
public interface EventSink {

    void publish(Event event);
}
