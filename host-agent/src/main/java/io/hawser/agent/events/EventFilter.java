package io.hawser.agent.events;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code filters} of {@code GET /events} with dockerd's semantics (moby daemon/events/filter.go,
 * Include): different keys must all match, values of one key are alternatives.
 * <ul>
 * <li>{@code type}, {@code scope}: exact.
 * <li>{@code event}: exact on the action; a prefix match when the filter holds {@code health_status},
 *     {@code exec_create} or {@code exec_start}, whose actions carry a suffix ({@code exec_start: sh -c ..}).
 * <li>{@code container}, {@code daemon}, {@code network}, {@code volume}, {@code plugin} (and the swarm
 *     keys): the actor id or its {@code name} attribute starts with a value. An event of another type has
 *     neither, so filtering by container hides image events, as in dockerd.
 * <li>{@code image}: exact on the image (the actor id or name attribute for image events, the image
 *     attribute otherwise), with or without its tag.
 * <li>{@code label}: every {@code key} or {@code key=value} must be among the actor's attributes.
 * </ul>
 * Unknown keys are ignored, as dockerd 20.10 ignores them.
 */
public final class EventFilter implements Predicate<Event> {

    private static final Set<String> FUZZY_KEYS =
            Set.of("container", "daemon", "network", "volume", "plugin", "node", "service", "secret", "config");
    private static final Set<String> FUZZY_ACTIONS = Set.of("health_status", "exec_create", "exec_start");

    private final Map<String, Set<String>> criteria;

    public EventFilter(Map<String, Set<String>> criteria) {
        this.criteria = Map.copyOf(criteria);
    }

    public static EventFilter all() {
        return new EventFilter(Map.of());
    }

    @Override
    public boolean test(Event e) {
        boolean fuzzyAction = values("event").stream().anyMatch(FUZZY_ACTIONS::contains);
        if (!(fuzzyAction ? fuzzy("event", e.action()) : exact("event", e.action()))
                || !exact("type", e.type().wire())
                || !exact("scope", "local")
                || !matchImage(e)
                || !matchLabels(e)) {
            return false;
        }
        String name = e.attributes().getOrDefault("name", "");
        for (String key : FUZZY_KEYS) {
            if (!fuzzy(key, e.actorId()) && !fuzzy(key, name)) {
                return false;
            }
        }
        return true;
    }

    private boolean matchImage(Event e) {
        String image = e.attributes().getOrDefault(e.type() == Event.Type.IMAGE ? "name" : "image", "");
        return exact("image", e.actorId()) || exact("image", image)
                || exact("image", stripTag(e.actorId())) || exact("image", stripTag(image));
    }

    private boolean matchLabels(Event e) {
        for (String label : values("label")) {
            int eq = label.indexOf('=');
            String key = eq < 0 ? label : label.substring(0, eq);
            String actual = e.attributes().get(key);
            if (actual == null || (eq >= 0 && !actual.equals(label.substring(eq + 1)))) {
                return false;
            }
        }
        return true;
    }

    /** {@code docker.io/library/busybox:1.36@sha256:..} to {@code busybox}, as reference.FamiliarName does. */
    static String stripTag(String image) {
        String name = image;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        if (name.startsWith("docker.io/library/")) {
            return name.substring("docker.io/library/".length());
        }
        return name.startsWith("docker.io/") ? name.substring("docker.io/".length()) : name;
    }

    private Set<String> values(String key) {
        return criteria.getOrDefault(key, Set.of());
    }

    private boolean exact(String key, String source) {
        Set<String> v = values(key);
        return v.isEmpty() || v.contains(source);
    }

    private boolean fuzzy(String key, String source) {
        Set<String> v = values(key);
        return v.isEmpty() || v.contains(source) || v.stream().anyMatch(source::startsWith);
    }
}
