package io.hawser.agent.storage;

/**
 * Bounds on one imported layer, so a hostile upload cannot fill the data root or its inodes: a 1 MB gzip
 * of zeros decompresses to about 1 GB.
 *
 * @param maxLayerBytes the decompressed tar, in bytes (this also bounds the gzip expansion)
 * @param maxEntries tar entries (headers of files, directories, links, nodes)
 */
public record ImportLimits(long maxLayerBytes, long maxEntries) {

    /** Generous: far above any real image layer, far below what takes a host down. */
    public static final ImportLimits DEFAULT = new ImportLimits(64L << 30, 10_000_000);

    public ImportLimits {
        if (maxLayerBytes <= 0 || maxEntries <= 0 || maxEntries > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("import limits must be positive: " + maxLayerBytes + ", " + maxEntries);
        }
    }
}
