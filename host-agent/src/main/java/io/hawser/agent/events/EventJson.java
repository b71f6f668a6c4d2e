package io.hawser.agent.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link Event} in dockerd's wire shape, which is also the journal's line format (so the journal files
 * read like {@code GET /events} output). Field order, the legacy {@code status}/{@code id}/{@code from}
 * fields (container and image events only, {@code from} only when there is an image attribute) and sorted
 * attributes are as dockerd writes them (moby daemon/events/events.go, Log; Go sorts map keys):
 *
 * <pre>{"status":"die","id":"735f..","from":"bb:1","Type":"container","Action":"die",
 *  "Actor":{"ID":"735f..","Attributes":{"exitCode":"137","image":"bb:1","name":"web"}},
 *  "scope":"local","time":1795817544,"timeNano":1795817544810730909}</pre>
 */
public final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private EventJson() {}

    /** One event as a JSON object, without a line end. */
    public static byte[] bytes(Event e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (e.type() == Event.Type.CONTAINER || e.type() == Event.Type.IMAGE) {
                g.writeStringField("status", e.action());
                g.writeStringField("id", e.actorId());
                String image = e.attributes().get("image");
                if (e.type() == Event.Type.CONTAINER && image != null && !image.isEmpty()) {
                    g.writeStringField("from", image);
                }
            }
            g.writeStringField("Type", e.type().wire());
            g.writeStringField("Action", e.action());
            g.writeObjectFieldStart("Actor");
            g.writeStringField("ID", e.actorId());
            g.writeObjectFieldStart("Attributes");
            for (Map.Entry<String, String> a : new TreeMap<>(e.attributes()).entrySet()) {
                g.writeStringField(a.getKey(), a.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeStringField("scope", "local");
            g.writeNumberField("time", e.time().getEpochSecond());
            g.writeNumberField("timeNano", timeNano(e.time()));
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Reads one line written by {@link #bytes}; timeNano wins over time when both are present.
     *
     * @throws IllegalArgumentException when the line is not such an event (a torn write, an unknown type)
     */
    public static Event parse(byte[] line, int off, int len) {
        JsonNode n;
        try {
            n = MAPPER.readTree(FACTORY.createParser(line, off, len));
        } catch (IOException ex) {
            throw new IllegalArgumentException("not a JSON event: " + ex.getMessage(), ex);
        }
        if (n == null || !n.isObject() || !n.path("Type").isTextual() || !n.path("Action").isTextual()) {
            throw new IllegalArgumentException("not an event: missing Type or Action");
        }
        Event.Type type = Event.Type.valueOf(n.get("Type").asText().toUpperCase(Locale.ROOT));
        JsonNode actor = n.path("Actor");
        Map<String, String> attributes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = actor.path("Attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            attributes.put(a.getKey(), a.getValue().asText());
        }
        Instant time = n.has("timeNano")
                ? ofNanos(n.get("timeNano").asLong())
                : Instant.ofEpochSecond(n.path("time").asLong());
        return new Event(type, n.get("Action").asText(), actor.path("ID").asText(""), attributes, time);
    }

    public static long timeNano(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    public static Instant ofNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
