package io.hawser.agent.storage;

/**
 * One entry of {@code docker diff}: a path in the container's root and what the container did to it.
 *
 * @param path absolute, as seen inside the container ({@code /etc/passwd})
 */
public record Change(String path, Kind kind) {

    /** The Engine API's FilesystemChange kinds; {@link #wire()} is the number on the wire. */
    public enum Kind {
        MODIFY, ADD, DELETE;

        public int wire() {
            return ordinal();
        }
    }
}
