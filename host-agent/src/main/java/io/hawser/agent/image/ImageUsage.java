package io.hawser.agent.image;

import java.util.List;

/**
 * Which containers use an image: image removal asks before deleting (dockerd refuses while a running
 * container uses it, and while a stopped one does unless forced). The container code implements it.
 */
@FunctionalInterface
public interface ImageUsage {

    /** A container created from the image; {@code containerId} is the full 64-hex id. */
    record User(String containerId, boolean running) {}

    /** Containers created from {@code image}, in any order; empty when none. */
    List<User> containersUsing(ImageId image);

    /** For an agent without containers yet. */
    ImageUsage NONE = image -> List.of();
}
