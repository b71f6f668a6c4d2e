package io.hawser.agent.storage;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpacks one layer tar into an empty directory. The archive is hostile input: every entry is confined
 * to the directory by construction, never by checking a path after the fact.
 * <ul>
 *   <li>names are relative: absolute names and {@code ..} components are refused;</li>
 *   <li>nothing is written through a symlink: a later entry whose parent path meets a symlink already
 *       extracted (e.g. {@code link -> /etc}, then {@code link/passwd}) is refused, so no write can leave
 *       the directory whatever the symlinks point to;</li>
 *   <li>a relative symlink target may not climb above the layer root; absolute targets are kept, as they
 *       mean the container's root, not the host's;</li>
 *   <li>hardlinks must name an entry already in the layer;</li>
 *   <li>character and block devices are refused unless allowed; FIFOs are fine;</li>
 *   <li>whiteouts become overlayfs whiteouts: {@code .wh.NAME} a 0/0 character device {@code NAME},
 *       {@code .wh..wh..opq} the {@code trusted.overlay.opaque=y} xattr on its directory.</li>
 * </ul>
 * Modes (setuid/setgid/sticky included), owners and mtimes are kept. Directory modes and mtimes are set
 * after all entries, since adding children changes them.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md">OCI image layer</a>
 */
public final class LayerExtractor {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";

    /** Bytes of regular file content and number of entries unpacked. */
    public record Result(long size, int entries) {}

    private final SpecialFiles special;
    private final boolean allowDevices;
    private final ImportLimits limits;
    /** For docker cp: names starting with .wh. are plain files, owners are {@link #owner}, no dir/non-dir swaps. */
    private final boolean copy;
    private final int ownerUid;
    private final int ownerGid;
    private final boolean noOverwriteDirNonDir;

    public LayerExtractor(SpecialFiles special, boolean allowDevices) {
        this(special, allowDevices, ImportLimits.DEFAULT);
    }

    public LayerExtractor(SpecialFiles special, boolean allowDevices, ImportLimits limits) {
        this(special, allowDevices, limits, false, 0, 0, false);
    }

    private LayerExtractor(SpecialFiles special, boolean allowDevices, ImportLimits limits, boolean copy, int uid, int gid,
                           boolean noOverwriteDirNonDir) {
        this.special = special;
        this.allowDevices = allowDevices;
        this.limits = limits;
        this.copy = copy;
        this.ownerUid = uid;
        this.ownerGid = gid;
        this.noOverwriteDirNonDir = noOverwriteDirNonDir;
    }

    /**
     * The same confinement for {@code docker cp} into a container (dockerd's extractToDir): no whiteouts
     * (a {@code .wh.} name is an ordinary file), everything owned by {@code uid:gid} (dockerd: the container's
     * root unless copyUIDGID), no device nodes, and with {@code noOverwriteDirNonDir} a directory never
     * replaces a non-directory nor the reverse.
     */
    public LayerExtractor forCopy(int uid, int gid, boolean noOverwriteDirNonDir) {
        return new LayerExtractor(special, false, limits, true, uid, gid, noOverwriteDirNonDir);
    }

    /** Unpacks {@code tar} (uncompressed) into {@code root}, which must exist. */
    public Result extract(InputStream tar, Path root) throws IOException {
        TarReader reader = new TarReader(new LimitedInputStream(tar, limits.maxLayerBytes(), "the layer"));
        Map<Path, TarEntry> directories = new LinkedHashMap<>();
        long size = 0;
        int count = 0;
        TarEntry entry;
        while ((entry = reader.next()) != null) {
            if (++count > limits.maxEntries()) {
                throw AgentException.invalidArgument("the layer has more than the " + limits.maxEntries() + " entries allowed");
            }
            List<String> parts = components(entry.name(), entry.name());
            if (parts.isEmpty()) {
                if (entry.type() != TarEntry.Type.DIRECTORY) {
                    throw refuse(entry.name(), "the layer root can only be a directory");
                }
                if (copy) {
                    continue; // docker cp: the destination directory keeps its own owner and mode
                }
                owner(root, entry);
                directories.put(root, entry);
                continue;
            }
            Path parent = parentOf(root, parts, entry.name(), true);
            String base = parts.get(parts.size() - 1);
            if (!copy && base.startsWith(WHITEOUT_PREFIX)) {
                whiteout(entry, parent, base);
                continue;
            }
            Path target = child(parent, base, entry.name());
            switch (entry.type()) {
                case DIRECTORY -> {
                    checkOverwrite(target, true, entry);
                    if (!replace(target, true)) {
                        Files.createDirectory(target);
                    }
                    owner(target, entry);
                    directories.put(target, entry);
                }
                case FILE -> {
                    checkOverwrite(target, false, entry);
                    replace(target, false);
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                        reader.content().transferTo(out);
                    }
                    size += entry.size();
                    apply(target, entry);
                }
                case SYMLINK -> {
                    checkSymlinkTarget(entry, parts.size() - 1);
                    replace(target, false);
                    Files.createSymbolicLink(target, path(entry.linkName(), entry.name()));
                    apply(target, entry);
                }
                case HARDLINK -> {
                    Path existing = hardlinkTarget(root, entry);
                    replace(target, false);
                    Files.createLink(target, existing);
                }
                case FIFO -> {
                    replace(target, false);
                    special.fifo(target); // made with its final mode below, never opened: open(2) of a FIFO blocks
                    apply(target, entry);
                }
                case CHAR_DEVICE, BLOCK_DEVICE -> {
                    boolean block = entry.type() == TarEntry.Type.BLOCK_DEVICE;
                    if (!allowDevices) {
                        throw refuse(entry.name(), (block ? "block" : "character")
                                + " device nodes are not allowed in imported layers");
                    }
                    replace(target, false);
                    special.device(target, block, entry.devMajor(), entry.devMinor());
                    apply(target, entry);
                }
            }
        }
        List<Map.Entry<Path, TarEntry>> dirs = new ArrayList<>(directories.entrySet());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            // A later entry may have replaced the directory (or one above it) with a symlink or a file:
            // then the recorded metadata belongs to nothing any more and must not land elsewhere.
            if (isRealDirectory(root, dirs.get(i).getKey())) {
                modeAndTime(dirs.get(i).getKey(), dirs.get(i).getValue());
            }
        }
        return new Result(size, count);
    }

    private void whiteout(TarEntry entry, Path parent, String base) throws IOException {
        if (base.equals(OPAQUE)) {
            // Now, while parentOf has just checked that every component is a real directory (as moby's
            // overlay whiteout converter does): deferred, a later entry could make the path a symlink.
            special.opaque(parent);
            return;
        }
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..") || hidden.startsWith(WHITEOUT_PREFIX)) {
            throw refuse(entry.name(), "not a valid whiteout name");
        }
        Path target = child(parent, hidden, entry.name());
        replace(target, false);
        special.whiteout(target);
    }

    /** The relative components of an archive path: "./" and empty components dropped, ".." and "/x" refused. */
    static List<String> components(String archivePath, String entryName) {
        if (archivePath.startsWith("/")) {
            throw refuse(entryName, "absolute paths are not allowed in a layer");
        }
        List<String> parts = new ArrayList<>();
        for (String part : archivePath.split("/")) {
            if (part.equals("..")) {
                throw refuse(entryName, "path escapes the layer");
            }
            if (part.indexOf('\0') >= 0) {
                throw refuse(entryName, "the name contains a NUL byte");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    /**
     * The directory that will hold the last component, walking from the root without following any
     * symlink. With {@code create}, missing directories are made (archives often omit them).
     */
    private static Path parentOf(Path root, List<String> parts, String entryName, boolean create) throws IOException {
        Path dir = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            dir = child(dir, parts.get(i), entryName);
            BasicFileAttributes attrs = attributes(dir);
            if (attrs == null) {
                if (!create) {
                    throw refuse(entryName, "'" + String.join("/", parts.subList(0, i + 1)) + "' does not exist in the layer");
                }
                Files.createDirectory(dir);
            } else if (attrs.isSymbolicLink()) {
                throw refuse(entryName, "it would be written through the symlink '" + String.join("/", parts.subList(0, i + 1)) + "'");
            } else if (!attrs.isDirectory()) {
                throw refuse(entryName, "'" + String.join("/", parts.subList(0, i + 1)) + "' is not a directory");
            }
        }
        return dir;
    }

    /** docker cp's noOverwriteDirNonDir, with dockerd's wording (pkg/archive createTarFile callers). */
    private void checkOverwrite(Path target, boolean directory, TarEntry entry) throws IOException {
        if (!noOverwriteDirNonDir) {
            return;
        }
        BasicFileAttributes a = attributes(target);
        if (a != null && a.isDirectory() != directory) {
            throw AgentException.invalidArgument(directory
                    ? "cannot overwrite non-directory \"" + entry.name() + "\" with directory"
                    : "cannot overwrite directory \"" + entry.name() + "\" with non-directory");
        }
    }

    private static Path hardlinkTarget(Path root, TarEntry entry) throws IOException {
        List<String> parts = components(entry.linkName(), entry.name());
        if (parts.isEmpty()) {
            throw refuse(entry.name(), "hardlink to the layer root");
        }
        Path target = child(parentOf(root, parts, entry.name(), false), parts.get(parts.size() - 1), entry.name());
        BasicFileAttributes attrs = attributes(target);
        if (attrs == null) {
            throw refuse(entry.name(), "hardlink target '" + entry.linkName() + "' is not in the layer");
        }
        if (attrs.isDirectory()) {
            throw refuse(entry.name(), "hardlink target '" + entry.linkName() + "' is a directory");
        }
        return target;
    }

    /** A relative target may not climb above the root from the link's directory ({@code depth} levels down). */
    private static void checkSymlinkTarget(TarEntry entry, int depth) {
        String target = entry.linkName();
        if (target.isEmpty()) {
            throw refuse(entry.name(), "symlink with an empty target");
        }
        if (target.indexOf('\0') >= 0) {
            throw refuse(entry.name(), "symlink target contains a NUL byte");
        }
        if (target.startsWith("/")) {
            return;
        }
        int level = depth;
        for (String part : target.split("/")) {
            if (part.equals("..")) {
                if (--level < 0) {
                    throw refuse(entry.name(), "symlink target '" + target + "' resolves outside the layer");
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                level++;
            }
        }
    }

    /**
     * Clears the way for a new entry at {@code target}: a directory replacing a directory keeps it (returns
     * true); anything else already there is removed, as tar does when a later member has the same name.
     */
    private static boolean replace(Path target, boolean directory) throws IOException {
        BasicFileAttributes attrs = attributes(target);
        if (attrs == null) {
            return false;
        }
        if (directory && attrs.isDirectory()) {
            return true;
        }
        Tree.delete(target);
        return false;
    }

    private static Path child(Path dir, String name, String entryName) {
        try {
            Path p = dir.resolve(name);
            if (!dir.equals(p.getParent())) {
                throw refuse(entryName, "path escapes the layer");
            }
            return p;
        } catch (InvalidPathException e) {
            throw refuse(entryName, "invalid path component '" + name + "'");
        }
    }

    private static Path path(String value, String entryName) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw refuse(entryName, "invalid symlink target");
        }
    }

    /** Whether every component from {@code root} down to {@code dir} is a directory, not a symlink. */
    private static boolean isRealDirectory(Path root, Path dir) throws IOException {
        Path p = root;
        for (Path name : root.relativize(dir)) {
            if (name.toString().isEmpty()) {
                continue; // dir is the root itself
            }
            p = p.resolve(name);
            BasicFileAttributes a = attributes(p);
            if (a == null || !a.isDirectory() || a.isSymbolicLink()) {
                return false;
            }
        }
        // The root is the caller's (a snapshot of ours, or a /proc/self/fd/N link to a directory docker cp
        // opened without following links), so it is followed here.
        return Files.isDirectory(root);
    }

    static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static AgentException refuse(String entryName, String why) {
        return AgentException.invalidArgument("refusing tar entry '" + entryName + "': " + why);
    }

    /** Owner, mode and mtime as archived; ownership first, since chown clears setuid and setgid. */
    private void apply(Path p, TarEntry e) throws IOException {
        owner(p, e);
        modeAndTime(p, e);
    }

    /** lchown(2): the JDK uses it for NOFOLLOW_LINKS and does not open the file. */
    private void owner(Path p, TarEntry e) throws IOException {
        Files.setAttribute(p, "unix:uid", copy ? ownerUid : e.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", copy ? ownerGid : e.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Never opens the file (a FIFO would block, a device node would be opened) nor follows a symlink. */
    private void modeAndTime(Path p, TarEntry e) throws IOException {
        if (e.type() != TarEntry.Type.SYMLINK) { // Linux ignores a symlink's mode
            special.mode(p, e.mode());
        }
        special.mtime(p, e.mtime());
    }
}
