package io.hawser.agent.storage;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code docker diff} from an overlay upper directory, as dockerd's overlay2 driver computes it (moby
 * pkg/archive changes.go {@code changes} with changes_linux.go {@code overlayDeletedFile}, Docker 20.10):
 *
 * <ul>
 *   <li>the upper directory is walked in Go's filepath.Walk order (names sorted, a directory before its
 *       content), which is the order of the answer;</li>
 *   <li>a whiteout (character device 0/0) is D; so is a directory marked {@code trusted.overlay.opaque=y}
 *       (dockerd 20.10 reports the directory the container removed and made again as deleted, and what it
 *       now holds as A or C below it);</li>
 *   <li>any other entry is C when some lower directory has the path, otherwise A; a directory present in a
 *       lower with the same mode, size and modification time is not reported by itself;</li>
 *   <li>the parent directory of an A or D appears as C (once, before its first change), unless it is the root.</li>
 * </ul>
 *
 * The lower directories are read with lstat, not stat as Go's os.Stat does: a symlink in an image must not
 * lead the agent to the host's files. The walk reads the upper directory only, so it works whether or not
 * the overlay is mounted; a missing upper directory has no changes.
 */
public final class ChangeScanner {

    /** Which directories of an upper directory carry {@code trusted.overlay.opaque=y}. */
    @FunctionalInterface
    public interface OpaqueProbe {
        /** @param dirs paths relative to {@code upper}, without a leading '/'; returns the opaque ones */
        Set<String> opaque(Path upper, List<String> dirs);
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;

    private record Entry(String path, int mode, long rdev, long size, FileTime mtime) {
        boolean isDir() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        boolean isWhiteout() {
            return (mode & S_IFMT) == S_IFCHR && rdev == 0;
        }
    }

    private final OpaqueProbe opaqueProbe;

    public ChangeScanner(OpaqueProbe opaqueProbe) {
        this.opaqueProbe = opaqueProbe;
    }

    /** With the xattrs read by GNU tar (see {@link TarOpaqueProbe}). */
    public static ChangeScanner withTar() {
        return new ChangeScanner(new TarOpaqueProbe());
    }

    /** @param lowers the layers below {@code upper}, top first (their order does not change the answer) */
    public List<Change> scan(Path upper, List<Path> lowers) {
        List<Entry> entries = new ArrayList<>();
        try {
            walk(upper, "", entries);
        } catch (NoSuchFileException e) {
            if (!Files.exists(upper, LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            throw AgentException.system("scan " + upper + " for changes", e);
        } catch (IOException e) {
            throw AgentException.system("scan " + upper + " for changes", e);
        }
        List<String> dirs = entries.stream().filter(Entry::isDir).map(e -> e.path().substring(1)).toList();
        Set<String> opaque = dirs.isEmpty() ? Set.of() : opaqueProbe.opaque(upper, dirs);

        List<Change> changes = new ArrayList<>();
        Set<String> changedDirs = new HashSet<>();
        for (Entry e : entries) {
            Change.Kind kind;
            if (e.isWhiteout() || (e.isDir() && opaque.contains(e.path().substring(1)))) {
                kind = Change.Kind.DELETE;
            } else {
                Entry lower = findInLowers(lowers, e.path());
                if (lower == null) {
                    kind = Change.Kind.ADD;
                } else if (lower.isDir() && e.isDir() && lower.size() == e.size() && lower.mode() == e.mode()
                        && sameFsTime(lower.mtime(), e.mtime())) {
                    continue; // only there because something below it changed
                } else {
                    kind = Change.Kind.MODIFY;
                }
            }
            if (e.isDir()) {
                changedDirs.add(e.path());
            }
            if (kind != Change.Kind.MODIFY) {
                String parent = parent(e.path());
                if (!parent.equals("/") && changedDirs.add(parent)) {
                    changes.add(new Change(parent, Change.Kind.MODIFY));
                }
            }
            changes.add(new Change(e.path(), kind));
        }
        return changes;
    }

    private static void walk(Path dir, String relative, List<Entry> out) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        for (Path child : children) {
            String path = relative + "/" + child.getFileName();
            Entry e = stat(child, path);
            if (e == null) {
                continue; // removed while we walked
            }
            out.add(e);
            if (e.isDir()) {
                walk(child, path, out);
            }
        }
    }

    private static Entry findInLowers(List<Path> lowers, String path) {
        for (Path lower : lowers) {
            try {
                Entry e = stat(lower.resolve(path.substring(1)), path);
                if (e != null) {
                    return e;
                }
            } catch (IOException e) {
                // ENOTDIR (a file where the path needs a directory) means absent, as for Go's os.Stat users
            }
        }
        return null;
    }

    private static Entry stat(Path file, String path) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, "unix:mode,rdev,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        return new Entry(path, (Integer) a.get("mode"), (Long) a.get("rdev"), (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"));
    }

    /** moby sameFsTime: equal, or equal seconds when either side lacks nanoseconds (some filesystems). */
    static boolean sameFsTime(FileTime a, FileTime b) {
        var x = a.toInstant();
        var y = b.toInstant();
        return x.equals(y) || (x.getEpochSecond() == y.getEpochSecond() && (x.getNano() == 0 || y.getNano() == 0));
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
