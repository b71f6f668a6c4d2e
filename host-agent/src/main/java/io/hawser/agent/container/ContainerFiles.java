package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.storage.LayerExtractor;
import io.hawser.agent.storage.ScopedPath;
import io.hawser.agent.storage.SpecialFiles;
import io.hawser.agent.storage.TarOutput;
import io.hawser.agent.storage.TreeArchiver;
import io.hawser.agent.sys.FileSyscalls;
import io.hawser.agent.sys.SyscallException;
import io.hawser.agent.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code docker cp} and {@code docker export}: files of a container's root, running or stopped, read and
 * written by the agent without ever running anything from the container.
 *
 * <ul>
 *   <li>The root: a running container's mounted overlay ({@code merged/}); for reading a stopped one, a
 *       temporary read-only overlay of its upper, init and image layers (all as lower layers, so nothing can
 *       change them); for writing into a stopped one, its own overlay, mounted while the container's monitor
 *       is held (so it cannot start meanwhile) and unmounted after.</li>
 *   <li>Paths are resolved inside that root by {@link ScopedPath} (dockerd's FollowSymlinkInScope), then
 *       opened directory by directory with {@code O_NOFOLLOW}: a symlink {@code /evil -> /etc} means the
 *       container's /etc.</li>
 *   <li>Archives out go through {@link TreeArchiver} (descriptor-relative, links archived as links);
 *       archives in through {@link LayerExtractor#forCopy} (no absolute names, no {@code ..}, nothing
 *       written through a symlink, no devices).</li>
 * </ul>
 */
public final class ContainerFiles {

    /** What HEAD/GET archive report in {@code X-Docker-Container-Path-Stat} (moby api/types ContainerPathStat). */
    public record PathStat(String name, long size, long mode, Instant mtime, String linkTarget) {}

    interface RootOperation<T> {
        T apply(Path root) throws IOException;
    }

    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    private static final int ELOOP = 40;

    private final Containers containers;
    private final FileSyscalls fs;
    private final LayerExtractor extractor;

    public ContainerFiles(Containers containers, FileSyscalls fs) {
        this.containers = containers;
        this.fs = fs;
        this.extractor = new LayerExtractor(SpecialFiles.system(), false);
    }

    /** {@code HEAD /containers/{id}/archive}: the entry itself (a final symlink is not followed). */
    public PathStat stat(String idOrName, String path) throws IOException {
        Container c = containers.get(idOrName);
        return read(c, root -> stat(root, c, path));
    }

    /**
     * {@code GET /containers/{id}/archive}: {@code beforeBody} gets the stat (for the header) once the path
     * is known to exist, then the tar of the entry, named by the path's last component, goes to the stream
     * {@code body} returns.
     */
    public void archive(String idOrName, String path, java.util.function.Function<PathStat, OutputStream> body) throws IOException {
        Container c = containers.get(idOrName);
        read(c, root -> {
            PathStat stat = stat(root, c, path);
            boolean contents = path.endsWith("/.") || path.equals(".");
            List<String> parts = ScopedPath.resolve(root, path, contents);
            TarOutput tar = new TarOutput(body.apply(stat));
            TreeArchiver archiver = new TreeArchiver(fs, TreeArchiver.Mode.PLAIN, p -> false);
            if (parts.isEmpty()) {
                archiver.contents(root, contents ? "./" : "", tar);
            } else {
                int dir = openDirs(root, parts.subList(0, parts.size() - 1), c, path);
                try {
                    archiver.entry(dir, parts.get(parts.size() - 1), contents ? "." : parts.get(parts.size() - 1), tar);
                } finally {
                    fs.close(dir);
                }
            }
            tar.finish();
            return null;
        });
        containers.events().publish(c.record(), "archive-path");
    }

    /** {@code PUT /containers/{id}/archive}: extracts {@code tar} into the directory {@code path}. */
    public void extract(String idOrName, String path, boolean noOverwriteDirNonDir, InputStream tar) throws IOException {
        Container c = containers.get(idOrName);
        write(c, root -> {
            List<String> parts = ScopedPath.resolve(root, path, true);
            int dir = openDirs(root, parts, c, path);
            try {
                extractor.forCopy(0, 0, noOverwriteDirNonDir).extract(tar, FileSyscalls.procFd(dir));
            } finally {
                fs.close(dir);
            }
            return null;
        });
        containers.events().publish(c.record(), "extract-to-dir");
    }

    /** {@code GET /containers/{id}/export}: the whole root filesystem as a tar. */
    public void export(String idOrName, OutputStream out) throws IOException {
        Container c = containers.get(idOrName);
        read(c, root -> {
            TarOutput tar = new TarOutput(out);
            new TreeArchiver(fs, TreeArchiver.Mode.PLAIN, p -> false).contents(root, "", tar);
            tar.finish();
            return null;
        });
        containers.events().publish(c.record(), "export");
    }

    private PathStat stat(Path root, Container c, String path) throws IOException {
        List<String> parts = ScopedPath.resolve(root, path, false);
        Path entry;
        int dir = -1;
        if (parts.isEmpty()) {
            entry = root;
        } else {
            dir = openDirs(root, parts.subList(0, parts.size() - 1), c, path);
            entry = FileSyscalls.procFd(dir).resolve(parts.get(parts.size() - 1));
        }
        try {
            Map<String, Object> a = Files.readAttributes(entry, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            String link = "";
            if ((mode & 0170000) == 0120000) {
                link = "/" + String.join("/", ScopedPath.resolve(root, path, true));
            }
            String name = parts.isEmpty() ? "/" : parts.get(parts.size() - 1);
            return new PathStat(name, (Long) a.get("size"), goFileMode(mode), ((FileTime) a.get("lastModifiedTime")).toInstant(), link);
        } catch (NoSuchFileException e) {
            throw notFound(c, path);
        } finally {
            if (dir >= 0) {
                fs.close(dir);
            }
        }
    }

    /** Opens {@code root/parts...} one directory at a time, never following a symlink. The caller closes the result. */
    private int openDirs(Path root, List<String> parts, Container c, String path) {
        int fd = fs.openDirectory(FileSyscalls.AT_FDCWD, root.toString());
        for (String part : parts) {
            int next;
            try {
                next = fs.openDirectory(fd, part);
            } catch (SyscallException e) {
                fs.close(fd);
                if (e.errno() == ENOENT) {
                    throw notFound(c, path);
                }
                if (e.errno() == ENOTDIR) {
                    throw AgentException.invalidArgument("extraction point is not a directory");
                }
                if (e.errno() == ELOOP) {
                    throw AgentException.conflict("the container changed " + path + " while it was being resolved");
                }
                throw e;
            }
            fs.close(fd);
            fd = next;
        }
        return fd;
    }

    private static AgentException notFound(Container c, String path) {
        return AgentException.notFound("Could not find the file " + path + " in container " + c.name());
    }

    /** Go's os.FileMode for a Unix mode: type bits moved to Go's positions, permission and special bits kept. */
    static long goFileMode(int mode) {
        long m = mode & 0777;
        switch (mode & 0170000) {
            case 0040000 -> m |= 1L << 31;
            case 0120000 -> m |= 1L << 27;
            case 0010000 -> m |= 1L << 25;
            case 0140000 -> m |= 1L << 24;
            case 0020000 -> m |= (1L << 26) | (1L << 21);
            case 0060000 -> m |= 1L << 26;
            default -> { }
        }
        if ((mode & 04000) != 0) {
            m |= 1L << 23;
        }
        if ((mode & 02000) != 0) {
            m |= 1L << 22;
        }
        if ((mode & 01000) != 0) {
            m |= 1L << 20;
        }
        return m;
    }

    private <T> T read(Container c, RootOperation<T> op) throws IOException {
        ContainerRootfs rootfs = c.rootfs();
        if (rootfs.isMounted()) {
            return op.apply(rootfs.mergedDir());
        }
        Path view = Files.createTempDirectory(c.dir(), "view-");
        StringBuilder lower = new StringBuilder(rootfs.upperDir().toString());
        rootfs.lowerDirs().forEach(p -> lower.append(':').append(p));
        Syscalls sys = containers.syscalls();
        try {
            sys.mount("overlay", view.toString(), "overlay", Syscalls.MS_RDONLY, "lowerdir=" + lower);
            try {
                return op.apply(view);
            } finally {
                try {
                    sys.umount2(view.toString(), 0);
                } catch (SyscallException e) {
                    sys.umount2(view.toString(), Syscalls.MNT_DETACH);
                }
            }
        } finally {
            Files.deleteIfExists(view);
        }
    }

    private <T> T write(Container c, RootOperation<T> op) throws IOException {
        if (c.rootfs().isMounted()) {
            return op.apply(c.rootfs().mergedDir());
        }
        synchronized (c) {
            ContainerRunner.awaitCleanup(c);
            boolean mountedHere = !c.rootfs().isMounted();
            if (mountedHere) {
                c.rootfs().mount();
            }
            try {
                return op.apply(c.rootfs().mergedDir());
            } finally {
                if (mountedHere) {
                    c.rootfs().unmount();
                }
            }
        }
    }
}
