package io.hawser.agent.runtime;

import java.util.List;
import java.util.Objects;

/**
 * One mount the shim makes in the container before pivot_root (spec key {@code mount=}, see mounts.c):
 * a bind of a host path or a tmpfs, on a container path opened without following symlinks.
 *
 * @param type    {@code bind} or {@code tmpfs}
 * @param source  bind: an absolute host path without symlinks (the shim refuses one it meets); tmpfs: "tmpfs"
 * @param target  the path in the container: absolute, normalized, not "/"
 * @param options ro, nosuid, nodev, noexec; for tmpfs also size=, mode=, nr_inodes=, uid=, gid=
 */
public record SpecMount(String type, String source, String target, List<String> options) {

    public SpecMount {
        Objects.requireNonNull(source, "source");
        options = List.copyOf(options);
        if (!type.equals("bind") && !type.equals("tmpfs")) {
            throw new IllegalArgumentException("mount type must be bind or tmpfs: " + type);
        }
        if (!ContainerSpec.isContainerPath(target) || (type.equals("bind") && !ContainerSpec.isContainerPath(source))) {
            throw new IllegalArgumentException("mount paths must be absolute and normalized: " + source + " on " + target);
        }
        for (String s : List.of(type, source, target, String.join(",", options))) {
            if (s.indexOf('\t') >= 0 || s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("mount fields cannot hold a tab or NUL: " + s.replace('\t', ' '));
            }
        }
        for (String o : options) {
            if (o.isEmpty() || o.indexOf(',') >= 0) {
                throw new IllegalArgumentException("bad mount option '" + o + "'");
            }
        }
    }

    /** The spec record's value: four tab-separated fields. */
    String encode() {
        return type + "\t" + source + "\t" + target + "\t" + String.join(",", options);
    }
}
