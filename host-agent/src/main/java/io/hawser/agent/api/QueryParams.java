package io.hawser.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for query parameters several endpoints share: {@code filters} and times ({@code since}, {@code until}). */
public final class QueryParams {

    private static final Pattern UNIX = Pattern.compile("(-?[0-9]{1,12})(?:\\.([0-9]{1,9}))?");
    private static final Pattern GO_DURATION = Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+");
    private static final Pattern GO_DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

    private QueryParams() {}

    /**
     * The {@code filters} parameter: JSON {@code {"key":{"value":true}}} (filters.Args) or the older
     * {@code {"key":["value"]}}; empty or absent is no filter. The values' booleans are ignored, as dockerd
     * looks only at the keys.
     */
    public static Map<String, Set<String>> filters(String json) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw AgentException.invalidArgument("invalid filter: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw AgentException.invalidArgument("invalid filter: filters must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Set<String> values = new LinkedHashSet<>();
            JsonNode v = field.getValue();
            if (v.isObject()) {
                v.fieldNames().forEachRemaining(values::add);
            } else if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw AgentException.invalidArgument("invalid filter: values of '" + field.getKey() + "' must be strings");
                    }
                    values.add(item.asText());
                }
            } else {
                throw AgentException.invalidArgument("invalid filter: '" + field.getKey()
                        + "' must map to an object of values or a list of values");
            }
            out.put(field.getKey(), values);
        }
        return out;
    }

    /**
     * A time as the Engine API receives it: unix seconds with an optional fraction of up to 9 digits
     * ({@code 1795817543.715853037}, what the docker CLI sends after converting its own input), and, as
     * the CLI accepts them, RFC 3339 and Go durations before now ({@code 10m}, {@code 1h30m}). Null when absent.
     */
    public static Instant time(String name, String value, Instant now) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Matcher m = UNIX.matcher(value);
        if (m.matches()) {
            String frac = m.group(2) == null ? "" : m.group(2);
            long nanos = frac.isEmpty() ? 0 : Long.parseLong(frac + "000000000".substring(frac.length()));
            return Instant.ofEpochSecond(Long.parseLong(m.group(1)), nanos);
        }
        if (GO_DURATION.matcher(value).matches()) {
            return now.minus(goDuration(value));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw AgentException.invalidArgument("invalid value for " + name + ": '" + value
                    + "' is neither a unix timestamp, an RFC 3339 time nor a duration such as 10m");
        }
    }

    private static Duration goDuration(String s) {
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = GO_DURATION_PART.matcher(s);
        while (m.find()) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
