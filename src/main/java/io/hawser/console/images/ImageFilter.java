package io.hawser.console.images;

import java.util.UUID;

/**
 * What the fleet's image list is narrowed to: images present on one host, and a part of the name or id (any case).
 * Nulls and blanks mean no narrowing.
 */
public record ImageFilter(UUID hostId, String name) {

    public static final ImageFilter NONE = new ImageFilter(null, null);

    public ImageFilter withHost(UUID host) {
        return new ImageFilter(host, name);
    }

    public ImageFilter withName(String part) {
        return new ImageFilter(hostId, part);
    }
}
