package io.hawser.agent.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route path such as {@code /containers/{id}/json}. {@code {name}} matches one non-empty segment;
 * {@code {name:.*}} matches the rest of the path including slashes, which image names need
 * ({@code /images/{name:.*}/json} with {@code library/busybox}), as in dockerd's gorilla/mux routes.
 */
public final class PathTemplate {

    private sealed interface Part permits Literal, Variable, Rest {}
    private record Literal(String text) implements Part {}
    private record Variable(String name) implements Part {}
    private record Rest(String name) implements Part {}

    private final String template;
    private final List<Part> parts = new ArrayList<>();

    public PathTemplate(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + template);
        }
        this.template = template;
        for (String segment : template.substring(1).split("/", -1)) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String inner = segment.substring(1, segment.length() - 1);
                parts.add(inner.endsWith(":.*") ? new Rest(inner.substring(0, inner.length() - 3)) : new Variable(inner));
            } else {
                parts.add(new Literal(segment));
            }
        }
    }

    /** The variables of {@code path} when it matches, e.g. {@code {id=abc}}. */
    public Optional<Map<String, String>> match(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        String[] segments = path.substring(1).split("/", -1);
        Map<String, String> vars = new LinkedHashMap<>();
        return matchFrom(0, segments, 0, vars) ? Optional.of(Map.copyOf(vars)) : Optional.empty();
    }

    private boolean matchFrom(int partIndex, String[] segments, int segIndex, Map<String, String> vars) {
        if (partIndex == parts.size()) {
            return segIndex == segments.length;
        }
        Part part = parts.get(partIndex);
        if (part instanceof Rest rest) {
            // Greedy but leaves room for the literal parts after it: try the longest span first.
            for (int end = segments.length; end > segIndex; end--) {
                if (matchFrom(partIndex + 1, segments, end, vars)) {
                    vars.put(rest.name(), String.join("/", List.of(segments).subList(segIndex, end)));
                    return true;
                }
            }
            return false;
        }
        if (segIndex >= segments.length) {
            return false;
        }
        String segment = segments[segIndex];
        if (part instanceof Literal literal) {
            return literal.text().equals(segment) && matchFrom(partIndex + 1, segments, segIndex + 1, vars);
        }
        Variable variable = (Variable) part;
        if (segment.isEmpty() || !matchFrom(partIndex + 1, segments, segIndex + 1, vars)) {
            return false;
        }
        vars.put(variable.name(), segment);
        return true;
    }

    @Override
    public String toString() {
        return template;
    }
}
