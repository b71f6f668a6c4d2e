package io.hawser.agent.storage;

import java.time.Instant;

/**
 * One member of a tar archive, after GNU long-name and PAX records have been applied.
 *
 * @param name the member's path as archived (not yet checked: see {@link LayerExtractor})
 * @param linkName target of a symlink or hardlink, empty otherwise
 * @param mode permission bits including setuid, setgid and sticky (07777)
 * @param size bytes of content that follow the header (regular files only)
 */
public record TarEntry(String name, Type type, String linkName, int mode, int uid, int gid, long size,
                       Instant mtime, int devMajor, int devMinor) {

    /** The member kinds of ustar (POSIX.1-1988 typeflag), which is what a layer may hold. */
    public enum Type { FILE, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO }
}
