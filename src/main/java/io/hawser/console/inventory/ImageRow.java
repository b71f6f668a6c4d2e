package io.hawser.console.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An image as the agent's {@code GET /images/json} lists it (Engine API ImageSummary). */
public record ImageRow(String id, List<String> repoTags, Long size, Instant created, String labelsJson) {

    public ImageRow {
        repoTags = List.copyOf(repoTags);
    }

    public static ImageRow fromDocker(JsonNode i) {
        String id = i.path("Id").asText("");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("image without an Id: " + i);
        }
        List<String> tags = new ArrayList<>();
        i.path("RepoTags").forEach(t -> tags.add(t.asText()));
        long created = i.path("Created").asLong(0);
        JsonNode labels = i.path("Labels");
        return new ImageRow(id, tags, i.has("Size") ? i.path("Size").asLong() : null,
                created > 0 ? Instant.ofEpochSecond(created) : null, labels.isObject() ? labels.toString() : "{}");
    }
}
