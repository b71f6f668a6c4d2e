package io.hawser.agent.storage;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A container path resolved inside the container's root, as dockerd's {@code symlink.FollowSymlinkInScope}
 * (moby pkg/symlink, fs.go): components are walked from the root one at a time with lstat; a symlink is
 * read and its target walked instead, an absolute target from the container's root, a relative one from
 * the link's directory; {@code ..} never climbs above the root. So {@code /evil -> /etc} in a container
 * means the container's /etc, never the host's. The result is a list of plain names below the root in
 * which no component was a symlink when it was checked; callers then open them without following links
 * (a running container may still swap one, which then fails instead of escaping).
 */
public final class ScopedPath {

    /** Go's maximum, as in fs.go: "too many links". */
    static final int MAX_LINKS = 255;

    private ScopedPath() {}

    /**
     * @param followLast whether a symlink in the last component is followed too (false for what
     *     {@code docker cp} stats and archives: the link itself)
     * @return the components below {@code root}; empty for the root itself
     */
    public static List<String> resolve(Path root, String path, boolean followLast) throws IOException {
        if (path.indexOf('\0') >= 0) {
            throw AgentException.invalidArgument("invalid path: it contains a NUL byte");
        }
        List<String> resolved = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(split(path));
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            resolved.add(part);
            if (todo.isEmpty() && !followLast) {
                break;
            }
            Path p = root.resolve(String.join("/", resolved));
            if (!Files.isSymbolicLink(p)) {
                continue; // a directory, a file (a later component then fails to open), or missing
            }
            if (++links > MAX_LINKS) {
                throw AgentException.invalidArgument("too many links resolving " + path);
            }
            String target = Files.readSymbolicLink(p).toString();
            resolved.remove(resolved.size() - 1);
            if (target.startsWith("/")) {
                resolved.clear();
            }
            List<String> next = split(target);
            for (int i = next.size() - 1; i >= 0; i--) {
                todo.addFirst(next.get(i));
            }
        }
        return resolved;
    }

    /** The non-empty components other than ".". */
    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whether {@code p} exists without following a final symlink. */
    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
