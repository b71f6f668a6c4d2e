package io.hawser.agent.api.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/** HTTP header fields: names compared case-insensitively, insertion order and first spelling kept. */
public final class Headers {

    private record Field(String name, List<String> values) {}

    private final Map<String, Field> fields = new LinkedHashMap<>();

    public Headers add(String name, String value) {
        fields.computeIfAbsent(key(name), k -> new Field(name, new ArrayList<>())).values().add(value);
        return this;
    }

    public Headers set(String name, String value) {
        List<String> values = new ArrayList<>();
        values.add(value);
        fields.put(key(name), new Field(name, values));
        return this;
    }

    public Headers setAll(Headers other) {
        other.fields.values().forEach(f -> fields.put(key(f.name()), new Field(f.name(), new ArrayList<>(f.values()))));
        return this;
    }

    public void remove(String name) {
        fields.remove(key(name));
    }

    /** The first value of {@code name}, or null. */
    public String first(String name) {
        Field f = fields.get(key(name));
        return f == null ? null : f.values().get(0);
    }

    public List<String> all(String name) {
        Field f = fields.get(key(name));
        return f == null ? List.of() : List.copyOf(f.values());
    }

    public boolean contains(String name) {
        return fields.containsKey(key(name));
    }

    /** True when a comma-separated header such as Connection lists {@code token} (case-insensitive). */
    public boolean hasToken(String name, String token) {
        for (String value : all(name)) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    public void forEach(BiConsumer<String, String> action) {
        fields.values().forEach(f -> f.values().forEach(v -> action.accept(f.name(), v)));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        forEach((n, v) -> sb.append(n).append(": ").append(v).append('\n'));
        return sb.toString();
    }
}
