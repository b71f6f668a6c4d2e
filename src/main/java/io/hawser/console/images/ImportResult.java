package io.hawser.console.images;

import java.util.UUID;

/** A tarball imported on a host: the new image's id, the name it got (or null) and the bytes sent. */
public record ImportResult(UUID hostId, String imageId, String repoTag, long bytes) {
}
