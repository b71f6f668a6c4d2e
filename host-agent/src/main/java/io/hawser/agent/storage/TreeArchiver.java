package io.hawser.agent.storage;

import io.hawser.agent.sys.FileSyscalls;
import io.hawser.agent.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes a directory tree of a container as a tar: an overlay upper directory as a layer
 * ({@link Mode#LAYER}: {@code docker commit}), or a root filesystem or part of it as is
 * ({@link Mode#PLAIN}: {@code docker export}, {@code docker cp} out).
 *
 * <p>The tree may belong to a running container, which can swap a directory for a symlink to a host path
 * while the walk runs. So, as {@link ChangeScanner}, the walk never resolves a path through the tree: each
 * directory is opened relative to its parent's descriptor with {@code O_NOFOLLOW|O_DIRECTORY}, its names
 * are listed and lstat'ed through that descriptor ({@code /proc/self/fd/N/name}), files are opened with
 * {@code O_NOFOLLOW} and symlinks are archived as links, never followed. (A container that is not paused
 * could still swap a regular file for a FIFO between the lstat and the open, which would block that
 * archive: commit pauses by default, as dockerd.)
 *
 * <p>Layer mode follows the overlay2 driver's diff (moby pkg/archive, {@code WhiteoutFormat: OverlayWhiteoutFormat}):
 * a whiteout (character device 0/0) becomes an empty {@code .wh.NAME} file and a directory with
 * {@code trusted.overlay.opaque=y} is followed by a {@code DIR/.wh..wh..opq} entry. Files with several
 * links become one file and hardlinks to it.
 */
public final class TreeArchiver {

    public enum Mode { LAYER, PLAIN }

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    private static final int ELOOP = 40;

    private record Inode(long dev, long ino) {}

    private final FileSyscalls fs;
    private final Mode mode;
    private final Predicate<String> exclude;
    private final Map<Inode, String> linked = new HashMap<>();
    private int entries;

    /** @param exclude relative paths (e.g. {@code etc/hosts}) left out with everything below them */
    public TreeArchiver(FileSyscalls fs, Mode mode, Predicate<String> exclude) {
        this.fs = fs;
        this.mode = mode;
        this.exclude = exclude;
    }

    /** Entries written so far. */
    public int entries() {
        return entries;
    }

    /**
     * Archives what is below {@code dir} (opened with O_NOFOLLOW, so it must be a real directory), each name
     * prefixed with {@code prefix} ({@code ""} for a root filesystem, else e.g. {@code "data/"}). A missing
     * directory archives nothing.
     */
    public void contents(Path dir, String prefix, TarOutput out) throws IOException {
        int fd;
        try {
            fd = fs.openDirectory(FileSyscalls.AT_FDCWD, dir.toString());
        } catch (SyscallException e) {
            if (e.errno() == ENOENT) {
                return;
            }
            throw e;
        }
        try {
            walk(fd, "", prefix, out);
        } finally {
            fs.close(fd);
        }
    }

    /** Archives the one entry {@code name} of the open directory {@code dirFd} as {@code archiveName}, recursing into a directory. */
    public void entry(int dirFd, String name, String archiveName, TarOutput out) throws IOException {
        one(dirFd, name, name, archiveName, out);
    }

    private void walk(int dirFd, String relative, String prefix, TarOutput out) throws IOException {
        List<String> names;
        try (Stream<Path> list = Files.list(FileSyscalls.procFd(dirFd))) {
            names = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String name : names) {
            String rel = relative + name;
            if (!exclude.test(rel)) {
                one(dirFd, name, rel, prefix + name, out);
            }
        }
    }

    private void one(int dirFd, String name, String relative, String archiveName, TarOutput out) throws IOException {
        Path p = FileSyscalls.procFd(dirFd).resolve(name);
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,rdev,ino,dev,nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // removed while we walked
        }
        int m = (Integer) a.get("mode");
        int perm = m & 07777;
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        long rdev = (Long) a.get("rdev");
        entries++;
        switch (m & S_IFMT) {
            case S_IFDIR -> {
                int fd;
                try {
                    fd = fs.openDirectory(dirFd, name);
                } catch (SyscallException e) {
                    if (e.errno() == ENOENT || e.errno() == ENOTDIR || e.errno() == ELOOP) {
                        return; // replaced while we walked: not followed
                    }
                    throw e;
                }
                try {
                    out.directory(archiveName, perm, uid, gid, mtime);
                    if (mode == Mode.LAYER && fs.fgetxattr(fd, SyscallSpecialFiles.OPAQUE_XATTR)
                            .map(v -> v.length == 1 && v[0] == 'y').orElse(false)) {
                        out.file(archiveName + "/" + LayerExtractor.OPAQUE, 0, uid, gid, mtime, 0, InputStream.nullInputStream());
                    }
                    walk(fd, relative + "/", archiveName.endsWith("/") ? archiveName.substring(0, archiveName.length() - 1) + "/"
                            : archiveName + "/", out);
                } finally {
                    fs.close(fd);
                }
            }
            case S_IFREG -> {
                long nlink = ((Number) a.get("nlink")).longValue();
                if (nlink > 1) {
                    Inode inode = new Inode((Long) a.get("dev"), (Long) a.get("ino"));
                    String first = linked.putIfAbsent(inode, archiveName);
                    if (first != null) {
                        out.hardlink(archiveName, first, perm, uid, gid, mtime);
                        return;
                    }
                }
                long size = (Long) a.get("size");
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.file(archiveName, perm, uid, gid, mtime, size, in);
                } catch (NoSuchFileException e) {
                    out.file(archiveName, perm, uid, gid, mtime, size, InputStream.nullInputStream());
                }
            }
            case S_IFLNK -> out.symlink(archiveName, Files.readSymbolicLink(p).toString(), uid, gid, mtime);
            case S_IFCHR, S_IFBLK -> {
                int major = (int) ((rdev >>> 8) & 0xfff) | (int) ((rdev >>> 32) & ~0xfffL);
                int minor = (int) (rdev & 0xff) | (int) ((rdev >>> 12) & ~0xffL);
                if (mode == Mode.LAYER && (m & S_IFMT) == S_IFCHR && rdev == 0) {
                    out.file(whiteoutName(archiveName), 0, uid, gid, mtime, 0, InputStream.nullInputStream());
                } else {
                    out.device(archiveName, (m & S_IFMT) == S_IFBLK, major, minor, perm, uid, gid, mtime);
                }
            }
            case S_IFIFO -> out.fifo(archiveName, perm, uid, gid, mtime);
            default -> entries--; // sockets are not archived (Go's archive/tar cannot either)
        }
    }

    private static String whiteoutName(String archiveName) {
        int slash = archiveName.lastIndexOf('/');
        return archiveName.substring(0, slash + 1) + LayerExtractor.WHITEOUT_PREFIX + archiveName.substring(slash + 1);
    }
}
