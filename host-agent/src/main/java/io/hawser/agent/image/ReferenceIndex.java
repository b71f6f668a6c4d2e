package io.hawser.agent.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tags to image ids, kept in {@code repositories.json} (shaped like dockerd's: repository, then
 * {@code name:tag} to id) and rewritten atomically on every change. Not thread-safe: {@link ImageStore}
 * guards it.
 */
final class ReferenceIndex {

    private static final ObjectMapper JSON = new ObjectMapper();

    record FileFormat(@JsonProperty("Repositories") Map<String, Map<String, String>> repositories,
                      @JsonProperty("LastTagTime") Map<String, String> lastTagTime) {}

    private final Path file;
    private final TreeMap<String, ImageId> tags = new TreeMap<>();
    private final Map<ImageId, Instant> lastTagTime = new TreeMap<>();

    private ReferenceIndex(Path file) {
        this.file = file;
    }

    static ReferenceIndex load(Path file) {
        ReferenceIndex index = new ReferenceIndex(file);
        if (Files.exists(file)) {
            try {
                FileFormat f = JSON.readValue(file.toFile(), FileFormat.class);
                if (f.repositories() != null) {
                    f.repositories().values().forEach(repo -> repo.forEach((ref, id) ->
                            index.tags.put(ImageReference.parse(ref).familiarString(), ImageId.parse(id))));
                }
                if (f.lastTagTime() != null) {
                    f.lastTagTime().forEach((id, t) -> index.lastTagTime.put(ImageId.parse(id), Instant.parse(t)));
                }
            } catch (IOException | RuntimeException e) {
                throw AgentException.system("read image tags " + file, e);
            }
        }
        return index;
    }

    ImageId get(ImageReference ref) {
        return tags.get(ref.withDefaultTag().familiarString());
    }

    List<ImageReference> referencesTo(ImageId id) {
        List<ImageReference> refs = new ArrayList<>();
        tags.forEach((ref, target) -> {
            if (target.equals(id)) {
                refs.add(ImageReference.parse(ref));
            }
        });
        return refs;
    }

    Instant lastTagTime(ImageId id) {
        return lastTagTime.get(id);
    }

    /** Points {@code ref} at {@code id}; returns the image it pointed at before, or null. */
    ImageId put(ImageReference ref, ImageId id, Instant now) {
        ImageId previous = tags.put(ref.withDefaultTag().familiarString(), id);
        lastTagTime.put(id, now);
        save();
        return previous;
    }

    boolean remove(ImageReference ref) {
        boolean removed = tags.remove(ref.withDefaultTag().familiarString()) != null;
        if (removed) {
            save();
        }
        return removed;
    }

    void forget(ImageId id) {
        if (lastTagTime.remove(id) != null) {
            save();
        }
    }

    private void save() {
        Map<String, Map<String, String>> repos = new TreeMap<>();
        tags.forEach((ref, id) -> repos.computeIfAbsent(ImageReference.parse(ref).familiarName(), k -> new TreeMap<>())
                .put(ref, id.toString()));
        Map<String, String> times = new TreeMap<>();
        lastTagTime.forEach((id, t) -> times.put(id.toString(), t.toString()));
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new FileFormat(repos, times)));
        } catch (IOException e) {
            throw AgentException.system("write image tags " + file, e);
        }
    }
}
