package io.hawser.agent.image;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code docker rmi}: dockerd's rules and wording (moby daemon/images/image_delete.go). A name that is a
 * reference untags it, and deletes the image only when that was its last tag; an id deletes the image.
 * A running container is a hard conflict (never forced); a stopped container, or more than one tag when
 * named by id, are soft conflicts that {@code force} overrides.
 */
public final class ImageRemoval {

    /** One line of the answer: exactly one of the two is set, as in dockerd's DeleteResponse. */
    public record Record(String untagged, String deleted) {}

    private final ImageStore store;
    private final ImageUsage usage;

    public ImageRemoval(ImageStore store, ImageUsage usage) {
        this.store = store;
        this.usage = usage;
    }

    public List<Record> delete(String name, boolean force) throws IOException {
        Image image = store.get(name);
        ImageId id = image.id();
        List<Record> records = new ArrayList<>();
        List<ImageReference> refs = store.references(id);
        boolean quiet = false;
        if (!isIdPrefix(id, name)) {
            if (!force && refs.size() == 1) {
                Optional<ImageUsage.User> user = usage.containersUsing(id).stream().findFirst();
                if (user.isPresent()) {
                    throw AgentException.conflict("conflict: unable to remove repository reference \"" + name
                            + "\" (must force) - container " + user.get().containerId().substring(0, 12)
                            + " is using its referenced image " + id.shortId());
                }
            }
            ImageReference untagged = store.untag(id, ImageReference.parse(name));
            records.add(new Record(untagged.familiarString(), null));
            if (!store.references(id).isEmpty()) {
                return records;
            }
            quiet = true;
        } else if (refs.size() == 1) {
            conflict(id, force, false).ifPresent(c -> {
                throw c;
            });
            records.add(new Record(store.untag(id, refs.get(0)).familiarString(), null));
        }
        Optional<AgentException> conflict = conflict(id, force, true);
        if (conflict.isPresent()) {
            if (quiet) {
                return records; // dockerd keeps an image still used after its last tag went, silently
            }
            throw conflict.get();
        }
        for (ImageReference ref : store.references(id)) {
            records.add(new Record(store.untag(id, ref).familiarString(), null));
        }
        boolean usedByStopped = !usage.containersUsing(id).isEmpty();
        List<Digest> removedLayers = store.delete(id, usedByStopped);
        records.add(new Record(null, id.toString()));
        removedLayers.forEach(layer -> records.add(new Record(null, layer.toString())));
        return records;
    }

    /** Hard: a running container. Soft (unless forced): tags left, when checked, or a stopped container. */
    private Optional<AgentException> conflict(ImageId id, boolean force, boolean checkReferences) {
        List<ImageUsage.User> users = usage.containersUsing(id);
        for (ImageUsage.User u : users) {
            if (u.running()) {
                return Optional.of(conflict(id, true, "image is being used by running container " + u.containerId().substring(0, 12)));
            }
        }
        if (force) {
            return Optional.empty();
        }
        if (checkReferences && !store.references(id).isEmpty()) {
            return Optional.of(conflict(id, false, "image is referenced in multiple repositories"));
        }
        for (ImageUsage.User u : users) {
            return Optional.of(conflict(id, false, "image is being used by stopped container " + u.containerId().substring(0, 12)));
        }
        return Optional.empty();
    }

    private static AgentException conflict(ImageId id, boolean hard, String why) {
        return AgentException.conflict("conflict: unable to delete " + id.shortId() + " (" + (hard ? "cannot be forced" : "must be forced")
                + ") - " + why);
    }

    private static boolean isIdPrefix(ImageId id, String name) {
        return id.toString().startsWith(name) || id.digest().hex().startsWith(name);
    }
}
