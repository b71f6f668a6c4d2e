package io.hawser.agent.image;

/** An image's id: the sha256 of its config JSON exactly as stored. */
public record ImageId(Digest digest) implements Comparable<ImageId> {

    public ImageId {
        java.util.Objects.requireNonNull(digest, "digest");
    }

    public static ImageId parse(String value) {
        return new ImageId(Digest.parse(value));
    }

    /** 12 hex characters, as {@code docker images} and dockerd's messages show it. */
    public String shortId() {
        return digest.shortHex();
    }

    @Override
    public int compareTo(ImageId o) {
        return digest.compareTo(o.digest);
    }

    @Override
    public String toString() {
        return digest.toString();
    }
}
