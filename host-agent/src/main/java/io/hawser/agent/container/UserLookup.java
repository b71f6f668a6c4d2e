package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code -u user[:group]} resolved as runc does it (libcontainer/user GetExecUser) against the container's own
 * /etc/passwd and /etc/group, read from its layers as the container sees them, a symlink resolved inside the
 * container's root as in a chroot ({@link LayeredRootFile}): {@code /etc/passwd -> /host/file} is the
 * container's {@code /host/file}, never the host's.
 */
public final class UserLookup {

    /** The result: credentials and the home directory (HOME when the env has none). */
    public record ExecUser(int uid, int gid, List<Integer> additionalGids, String home) {}

    private final LayeredRootFile files;

    /** @param layers the container's directories top first (upper, init, image snapshots) */
    public UserLookup(List<Path> layers) {
        this.files = new LayeredRootFile(layers);
    }

    public ExecUser resolve(String spec) {
        int colon = spec.indexOf(':');
        String userPart = colon >= 0 ? spec.substring(0, colon) : spec;
        String groupPart = colon >= 0 ? spec.substring(colon + 1) : null;
        List<String[]> passwd = entries("passwd");
        int uid = 0;
        int gid = 0;
        String home = "/";
        String name = null;
        if (!userPart.isEmpty()) {
            Integer numeric = number(userPart);
            Optional<String[]> entry = passwd.stream().filter(e -> e.length >= 6
                    && (numeric == null ? e[0].equals(userPart) : e[2].equals(userPart))).findFirst();
            if (entry.isPresent()) {
                String[] e = entry.get();
                name = e[0];
                uid = Integer.parseInt(e[2]);
                gid = number(e[3]) == null ? 0 : number(e[3]);
                home = e[5].isEmpty() ? "/" : e[5];
            } else if (numeric != null) {
                uid = numeric;
            } else {
                throw AgentException.invalidArgument("unable to find user " + userPart + ": no matching entries in passwd file");
            }
        } else if (groupPart == null || groupPart.isEmpty()) {
            Optional<String[]> root = passwd.stream().filter(e -> e.length >= 6 && e[2].equals("0")).findFirst();
            if (root.isPresent()) {
                name = root.get()[0];
                home = root.get()[5].isEmpty() ? "/" : root.get()[5];
            }
        }
        List<Integer> additional = new ArrayList<>();
        List<String[]> groups = entries("group");
        if (groupPart != null && !groupPart.isEmpty()) {
            String g = groupPart;
            Integer numeric = number(g);
            Optional<String[]> entry = groups.stream().filter(e -> e.length >= 3
                    && (numeric == null ? e[0].equals(g) : e[2].equals(g))).findFirst();
            if (entry.isPresent()) {
                gid = Integer.parseInt(entry.get()[2]);
            } else if (numeric != null) {
                gid = numeric;
            } else {
                throw AgentException.invalidArgument("unable to find group " + g + ": no matching entries in group file");
            }
        } else if (name != null) {
            for (String[] e : groups) {
                if (e.length >= 4 && number(e[2]) != null && List.of(e[3].split(",")).contains(name)) {
                    additional.add(Integer.parseInt(e[2]));
                }
            }
        }
        return new ExecUser(uid, gid, additional, home);
    }

    private static Integer number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 10) {
            return null;
        }
        long v = Long.parseLong(s);
        return v > Integer.MAX_VALUE ? null : (int) v;
    }

    /** The lines of /etc/{@code file} split at ':', from the topmost layer that has it; empty when none. */
    private List<String[]> entries(String file) {
        List<String[]> out = new ArrayList<>();
        read(file).ifPresent(content -> content.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> out.add(l.split(":", -1))));
        return out;
    }

    private Optional<String> read(String file) {
        return files.read("/etc/" + file).map(b -> new String(b, StandardCharsets.UTF_8));
    }
}
