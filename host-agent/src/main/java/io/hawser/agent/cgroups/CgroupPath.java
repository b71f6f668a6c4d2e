package io.hawser.agent.cgroups;

import io.hawser.agent.common.AgentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A cgroup's place below a hierarchy's root, as segments: {@code hawser/<container id>}. The same
 * relative path is used under every v1 controller mount and under the one v2 root, so the driver
 * decides where it lands. Segments are plain names: never empty, {@code .}, {@code ..} or with a slash,
 * so a path can never climb out of the hierarchy.
 */
public record CgroupPath(List<String> segments) {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@:+-]*");
    private static final int MAX_SEGMENT = 255; // NAME_MAX: each segment is a directory name

    public CgroupPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw AgentException.invalidArgument("cgroup path must not be empty");
        }
        for (String s : segments) {
            if (s.length() > MAX_SEGMENT || !SEGMENT.matcher(s).matches()) {
                throw AgentException.invalidArgument("invalid cgroup path segment '" + s + "' in " + String.join("/", segments));
            }
        }
    }

    /** Parses {@code a/b/c}; leading and trailing slashes are ignored ({@code --cgroup-parent /hawser}). */
    public static CgroupPath parse(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        if (parts.isEmpty()) {
            throw AgentException.invalidArgument("cgroup path must not be empty: '" + path + "'");
        }
        return new CgroupPath(parts);
    }

    /** {@code <parent>/<name>}, e.g. the cgroup of container {@code name} below {@code --cgroup-parent}. */
    public static CgroupPath of(String parent, String name) {
        return parse(parent).child(name);
    }

    public CgroupPath child(String name) {
        List<String> parts = new ArrayList<>(segments);
        parts.add(name);
        return new CgroupPath(parts);
    }

    /** This path below {@code root}: {@code root/a/b}. */
    public Path under(Path root) {
        Path p = root;
        for (String s : segments) {
            p = p.resolve(s);
        }
        return p;
    }

    /** The last segment (the container id for a container's cgroup). */
    public String name() {
        return segments.get(segments.size() - 1);
    }

    @Override
    public String toString() {
        return String.join("/", segments);
    }
}
