package io.hawser.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.Image;
import io.hawser.agent.image.ImageReference;
import io.hawser.agent.image.ImageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /images/json?filters=...}: {@code reference} (Go path.Match globs against {@code name} and
 * {@code name:tag}), {@code dangling}, {@code label} ({@code key} or {@code key=value}), {@code before},
 * {@code since}. The value is JSON: {@code {"key":{"value":true}}} (or the older {@code {"key":["value"]}}).
 */
final class ImageListFilters {

    private static final Set<String> KEYS = Set.of("reference", "dangling", "label", "before", "since");

    private final Map<String, List<String>> filters;
    private final ImageStore store;

    private ImageListFilters(Map<String, List<String>> filters, ImageStore store) {
        this.filters = filters;
        this.store = store;
    }

    static ImageListFilters parse(String json, ImageStore store) {
        Map<String, List<String>> filters = new HashMap<>();
        if (json != null && !json.isBlank()) {
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(json);
            } catch (Exception e) {
                throw AgentException.invalidArgument("invalid filter: " + e.getMessage());
            }
            root.fields().forEachRemaining(f -> {
                if (!KEYS.contains(f.getKey())) {
                    throw AgentException.invalidArgument("invalid filter '" + f.getKey() + "'");
                }
                List<String> values = new ArrayList<>();
                if (f.getValue().isArray()) {
                    f.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    f.getValue().fields().forEachRemaining(v -> values.add(v.getKey()));
                }
                filters.put(f.getKey(), values);
            });
        }
        return new ImageListFilters(filters, store);
    }

    /** The image's tags to show, or null when it does not pass. With a reference filter only matching tags show. */
    List<String> apply(Image image) {
        for (String d : filters.getOrDefault("dangling", List.of())) {
            if (!d.equals("true") && !d.equals("false") && !d.equals("1") && !d.equals("0")) {
                throw AgentException.invalidArgument("invalid filter 'dangling=" + d + "'");
            }
            if (image.dangling() != (d.equals("true") || d.equals("1"))) {
                return null;
            }
        }
        Map<String, String> labels = image.config().config().labels() == null ? Map.of() : image.config().config().labels();
        for (String l : filters.getOrDefault("label", List.of())) {
            int eq = l.indexOf('=');
            boolean ok = eq < 0 ? labels.containsKey(l) : l.substring(eq + 1).equals(labels.get(l.substring(0, eq)));
            if (!ok) {
                return null;
            }
        }
        if (!inTime(image.created(), "before", true) || !inTime(image.created(), "since", false)) {
            return null;
        }
        List<String> patterns = filters.getOrDefault("reference", List.of());
        if (patterns.isEmpty()) {
            return ImageWire.tags(image);
        }
        List<String> shown = new ArrayList<>();
        for (ImageReference ref : image.repoTags()) {
            for (String p : patterns) {
                Pattern glob = glob(p);
                if (glob.matcher(ref.familiarString()).matches() || glob.matcher(ref.familiarName()).matches()) {
                    shown.add(ref.familiarString());
                    break;
                }
            }
        }
        return shown.isEmpty() ? null : shown;
    }

    private boolean inTime(Instant created, String key, boolean before) {
        for (String name : filters.getOrDefault(key, List.of())) {
            Instant ref = store.get(name).created();
            if (before ? !created.isBefore(ref) : !created.isAfter(ref)) {
                return false;
            }
        }
        return true;
    }

    /** Go's path.Match: {@code *} and {@code ?} never match '/', {@code [...]} is a class, {@code \} escapes. */
    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = pattern.indexOf(']', i + 1);
                    if (end < 0) {
                        throw AgentException.invalidArgument("invalid reference filter '" + pattern + "': syntax error in pattern");
                    }
                    // Go's class syntax ([a-z], [^x]) is Java's for the characters image names use.
                    re.append('[').append(pattern, i + 1, end).append(']');
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 < pattern.length()) {
                        re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
