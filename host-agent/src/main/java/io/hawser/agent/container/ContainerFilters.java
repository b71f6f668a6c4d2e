package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.Image;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code GET /containers/json}'s filters, as dockerd applies them (daemon/list.go): id (prefix), name (regular
 * expression on "/name"), label (key or key=value, all must match), status, ancestor (image name or id),
 * exited=N, before/since (a container id or name: created before/after it). Values of one key are ORed.
 */
public final class ContainerFilters {

    private static final Set<String> KNOWN = Set.of("id", "name", "label", "status", "ancestor", "exited", "before", "since");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");

    private final Map<String, Set<String>> filters;
    private final Set<String> ancestorIds = new HashSet<>();
    private final Set<Integer> exited = new HashSet<>();
    private final java.time.Instant before;
    private final java.time.Instant since;

    /**
     * @param images resolves an ancestor value to an image id
     * @param containers resolves before/since
     */
    public ContainerFilters(Map<String, Set<String>> filters, Function<String, Optional<Image>> images,
            Function<String, Optional<Container>> containers) {
        this.filters = filters;
        for (String key : filters.keySet()) {
            if (!KNOWN.contains(key)) {
                throw AgentException.invalidArgument("invalid filter '" + key + "'");
            }
        }
        for (String s : filters.getOrDefault("status", Set.of())) {
            if (!STATUSES.contains(s)) {
                throw AgentException.invalidArgument("invalid filter 'status=" + s + "'");
            }
        }
        for (String e : filters.getOrDefault("exited", Set.of())) {
            try {
                exited.add(Integer.parseInt(e));
            } catch (NumberFormatException ex) {
                throw AgentException.invalidArgument("invalid filter 'exited=" + e + "'");
            }
        }
        for (String a : filters.getOrDefault("ancestor", Set.of())) {
            images.apply(a).ifPresent(i -> ancestorIds.add(i.id().toString()));
        }
        for (String name : filters.getOrDefault("name", Set.of())) {
            try {
                Pattern.compile(name);
            } catch (PatternSyntaxException e) {
                throw AgentException.invalidArgument("invalid filter 'name=" + name + "'");
            }
        }
        before = bound("before", containers);
        since = bound("since", containers);
    }

    private java.time.Instant bound(String key, Function<String, Optional<Container>> containers) {
        Set<String> values = filters.getOrDefault(key, Set.of());
        if (values.isEmpty()) {
            return null;
        }
        String v = values.iterator().next();
        return containers.apply(v).orElseThrow(() -> AgentException.notFound("No such container: " + v)).record().created();
    }

    /** Whether the listing should show stopped containers even without {@code all} (dockerd: exited or a non-running status asked). */
    public boolean forcesAll() {
        return !exited.isEmpty() || filters.getOrDefault("status", Set.of()).stream().anyMatch(s -> !s.equals("running"));
    }

    public boolean matches(ContainerRecord r) {
        if (!any("id", v -> r.id().startsWith(v))) {
            return false;
        }
        if (!any("name", v -> Pattern.compile(v).matcher("/" + r.name()).find())) {
            return false;
        }
        for (String label : filters.getOrDefault("label", Set.of())) {
            int eq = label.indexOf('=');
            String key = eq < 0 ? label : label.substring(0, eq);
            String value = r.config().labels().get(key);
            if (value == null || (eq >= 0 && !value.equals(label.substring(eq + 1)))) {
                return false;
            }
        }
        if (!any("status", v -> r.state().status().wire().equals(v))) {
            return false;
        }
        if (filters.containsKey("ancestor") && !ancestorIds.contains(r.imageId())) {
            return false;
        }
        if (!exited.isEmpty() && (r.state().status() != ContainerStatus.EXITED || !exited.contains(r.state().exitCode()))) {
            return false;
        }
        if (before != null && !r.created().isBefore(before)) {
            return false;
        }
        return since == null || r.created().isAfter(since);
    }

    private boolean any(String key, java.util.function.Predicate<String> test) {
        Set<String> values = filters.get(key);
        return values == null || values.isEmpty() || values.stream().anyMatch(test);
    }

    static List<String> known() {
        return List.copyOf(KNOWN);
    }
}
