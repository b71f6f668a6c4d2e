package io.hawser.agent.image;

import java.time.Instant;
import java.util.List;

/**
 * One stored image as the API shows it.
 *
 * @param size bytes of regular-file content in its layers (what {@code docker images} shows as SIZE)
 * @param repoTags its tags, e.g. {@code bb:1}; empty for a dangling image
 * @param lastTagTime when a tag was last added, null if never
 */
public record Image(ImageId id, ImageConfig config, long size, List<ImageReference> repoTags, Instant lastTagTime) {

    public Image {
        repoTags = List.copyOf(repoTags);
    }

    /** The config's creation time; the epoch if missing or unreadable. */
    public Instant created() {
        try {
            return config.created() == null ? Instant.EPOCH : Instant.parse(config.created());
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    public boolean dangling() {
        return repoTags.isEmpty();
    }
}
