package io.hawser.agent.storage;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.sys.FileSyscalls;
import io.hawser.agent.sys.JnrSyscalls;
import io.hawser.agent.sys.SyscallException;
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
 * The upper directory belongs to a running container, which can swap a directory for a symlink to a host
 * path while the walk runs. So the walk never resolves a path in it: each directory is opened relative to
 * its parent's descriptor with {@code O_NOFOLLOW|O_DIRECTORY}, listed and lstat'ed through that descriptor
 * ({@code /proc/self/fd/N}), and its opaque xattr read with fgetxattr. The lower directories are resolved
 * component by component with lstat (not stat as Go's os.Stat does): a symlink in an image must not lead
 * the agent to the host's files. The walk reads the upper directory only, so it works whether or not the
 * overlay is mounted; a missing upper directory has no changes.
 */
public final class ChangeScanner {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    private static final int ELOOP = 40;

    private record Entry(String path, int mode, long rdev, long size, FileTime mtime, boolean opaque) {
        boolean isDir() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        boolean isWhiteout() {
            return (mode & S_IFMT) == S_IFCHR && rdev == 0;
        }

        Entry withOpaque(boolean o) {
            return new Entry(path, mode, rdev, size, mtime, o);
        }
    }

    private final FileSyscalls fs;

    public ChangeScanner(FileSyscalls fs) {
        this.fs = fs;
    }

    /** With the real system calls. */
    public static ChangeScanner system() {
        return new ChangeScanner(new JnrSyscalls());
    }

    /** @deprecated the xattrs are no longer read with tar; this is {@link #system()} */
    @Deprecated
    public static ChangeScanner withTar() {
        return system();
    }

    /** @param lowers the layers below {@code upper}, top first (their order does not change the answer) */
    public List<Change> scan(Path upper, List<Path> lowers) {
        List<Entry> entries = new ArrayList<>();
        int root;
        try {
            root = fs.openDirectory(FileSyscalls.AT_FDCWD, upper.toString());
        } catch (SyscallException e) {
            if (e.errno() == ENOENT) {
                return List.of();
            }
            throw e;
        }
        try {
            walk(root, "", entries);
        } catch (IOException e) {
            throw AgentException.system("scan " + upper + " for changes", e);
        } finally {
            fs.close(root);
        }

        List<Change> changes = new ArrayList<>();
        Set<String> changedDirs = new HashSet<>();
        for (Entry e : entries) {
            Change.Kind kind;
            if (e.isWhiteout() || (e.isDir() && e.opaque())) {
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

    /** Lists and lstat's through the directory's descriptor; descends by openat of one name, never following. */
    private void walk(int dirFd, String relative, List<Entry> out) throws IOException {
        Path dir = FileSyscalls.procFd(dirFd);
        List<String> names;
        try (Stream<Path> list = Files.list(dir)) {
            names = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String name : names) {
            String path = relative + "/" + name;
            Entry e = stat(dir.resolve(name), path);
            if (e == null) {
                continue; // removed while we walked
            }
            if (!e.isDir()) {
                out.add(e);
                continue;
            }
            int fd;
            try {
                fd = fs.openDirectory(dirFd, name);
            } catch (SyscallException ex) {
                if (ex.errno() == ENOENT || ex.errno() == ENOTDIR || ex.errno() == ELOOP) {
                    continue; // replaced while we walked (by a symlink, say): not followed
                }
                throw ex;
            }
            try {
                out.add(e.withOpaque(fs.fgetxattr(fd, SyscallSpecialFiles.OPAQUE_XATTR)
                        .map(v -> v.length == 1 && v[0] == 'y').orElse(false)));
                walk(fd, path, out);
            } finally {
                fs.close(fd);
            }
        }
    }

    /** The path in the first lower that has it, every component before the last a real directory. */
    private static Entry findInLowers(List<Path> lowers, String path) {
        String[] parts = path.substring(1).split("/");
        for (Path lower : lowers) {
            try {
                Path p = lower;
                boolean reachable = true;
                for (int i = 0; i < parts.length - 1 && reachable; i++) {
                    p = p.resolve(parts[i]);
                    Entry dir = stat(p, path);
                    reachable = dir != null && dir.isDir();
                }
                Entry e = reachable ? stat(p.resolve(parts[parts.length - 1]), path) : null;
                if (e != null) {
                    return e;
                }
            } catch (IOException e) {
                // ENOTDIR and the like mean absent, as for Go's os.Stat users
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
        return new Entry(path, (Integer) a.get("mode"), (Long) a.get("rdev"), (Long) a.get("size"),
                (FileTime) a.get("lastModifiedTime"), false);
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
