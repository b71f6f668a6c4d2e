package io.hawser.console.images;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One image, under one of its names, and the hosts (of those the caller may see) that have it under that name. An
 * untagged image is listed as {@code <none>:<none>}.
 *
 * @param repoTag the name ({@code repo:tag}) or {@code <none>:<none>}
 * @param imageId {@code sha256:...}
 * @param size the largest size any of the hosts reports (they agree for the same id)
 */
public record FleetImage(String repoTag, String imageId, Long size, Instant created, List<HostRef> hosts) {

    public static final String UNTAGGED = "<none>:<none>";

    public FleetImage {
        hosts = List.copyOf(hosts);
    }

    /** The id without its algorithm, 12 hex digits, as {@code docker images} shows it. */
    public String shortId() {
        String hex = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** The name to address the image by on a host: its tag, or its id when untagged. */
    public String reference() {
        return UNTAGGED.equals(repoTag) ? imageId : repoTag;
    }

    /** A host that has the image. */
    public record HostRef(UUID id, String name) {
    }
}
