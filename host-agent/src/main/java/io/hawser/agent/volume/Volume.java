package io.hawser.agent.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A local volume as the agent keeps it in {@code <data-root>/volumes/<name>/volume.json}; its content is
 * {@code <data-root>/volumes/<name>/_data} (dockerd's local driver layout, so the Mountpoint looks alike).
 *
 * @param createdAt RFC 3339 in seconds, as dockerd shows it
 * @param anonymous created for a container's {@code VOLUME} or {@code -v /path}, not by name
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Volume(
        @JsonProperty("Name") String name,
        @JsonProperty("CreatedAt") String createdAt,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Anonymous") boolean anonymous) {

    public static final String DRIVER = "local";

    public Volume {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
