package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A file of a container's root read from its overlay layers (top first) without mounting them, as the
 * container itself would open it: the path is resolved as in a chroot (runc reads /etc/passwd through
 * securejoin, moby's {@code FollowSymlinkInScope}): a symlink's absolute target starts again from the
 * container's root, a relative one from the link's directory, {@code ..} stops at the root. So
 * {@code /etc/passwd -> /tmp/x} or {@code -> ../../../../tmp/x} means the container's {@code /tmp/x},
 * never the host's.
 *
 * <p>Each name is looked up as overlayfs does: in the topmost layer that has it; a whiteout (a 0/0
 * character device) hides the lower ones; a directory merges with the same directory of lower layers.
 * (Opaque directories, {@code trusted.overlay.opaque}, are not read: a lower layer's file may then show
 * through, but only ever a file of the image.) The file found is then opened in its layer directory by
 * directory, each with {@code O_NOFOLLOW} ({@link SecureDirectoryStream}), so a running container that swaps
 * a component for a symlink in its upper layer meanwhile makes the read fail, not leave the layer.
 */
final class LayeredRootFile {

    /** Go's limit in fs.go, "too many links". */
    private static final int MAX_LINKS = 255;
    /** More than any sane passwd or group file; a bigger one is refused rather than read into memory. */
    static final int MAX_BYTES = 16 << 20;

    /** A name below a layer directory. */
    private record At(Path layer, Path relative) {
        Path path() {
            return layer.resolve(relative);
        }

        At child(String name) {
            return new At(layer, relative.resolve(name));
        }
    }

    private sealed interface Node permits Dir, Leaf, Link {}
    private record Dir(List<At> layers) implements Node {}
    private record Leaf(At at, boolean regular) implements Node {}
    private record Link(String target) implements Node {}

    private final List<Path> layers;

    LayeredRootFile(List<Path> layers) {
        this.layers = List.copyOf(layers);
    }

    /** The content of {@code path}; empty when it is missing, not a regular file, or a component is not a directory. */
    Optional<byte[]> read(String path) {
        try {
            Optional<Leaf> leaf = resolve(path);
            if (leaf.isEmpty() || !leaf.get().regular()) {
                return Optional.empty();
            }
            return Optional.of(readNoFollow(leaf.get().at()));
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty(); // swapped or removed meanwhile
        } catch (IOException e) {
            throw AgentException.system("read " + path + " of the container", e);
        }
    }

    /** Walks the union view, following symlinks inside the root; the file (not a directory) the path names. */
    private Optional<Leaf> resolve(String path) throws IOException {
        List<String> resolved = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(split(path));
        int links = 0;
        Node node = root();
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                node = lookup(resolved);
                continue;
            }
            if (!(node instanceof Dir dir)) {
                return Optional.empty(); // a file or nothing where a directory was needed
            }
            node = child(dir, part);
            resolved.add(part);
            if (node instanceof Link link) {
                if (++links > MAX_LINKS) {
                    throw AgentException.invalidArgument("too many links resolving " + path);
                }
                resolved.remove(resolved.size() - 1);
                if (link.target().startsWith("/")) {
                    resolved.clear();
                }
                List<String> next = split(link.target());
                for (int i = next.size() - 1; i >= 0; i--) {
                    todo.addFirst(next.get(i));
                }
                node = lookup(resolved);
            }
        }
        return node instanceof Leaf leaf ? Optional.of(leaf) : Optional.empty();
    }

    /** The node at {@code parts} (known to be directories but possibly changed since): from the root again. */
    private Node lookup(List<String> parts) throws IOException {
        Node node = root();
        for (String part : parts) {
            if (!(node instanceof Dir dir)) {
                return null;
            }
            node = child(dir, part);
        }
        return node;
    }

    private Dir root() {
        return new Dir(layers.stream().map(l -> new At(l, Path.of(""))).toList());
    }

    /** One name in a merged directory: the topmost layer's entry; lower ones merge only under a directory. */
    private static Node child(Dir dir, String name) throws IOException {
        List<At> merged = new ArrayList<>();
        for (At parent : dir.layers()) {
            At at = parent.child(name);
            Path p = at.path();
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException | NotDirectoryException e) {
                continue;
            }
            if (a.isDirectory()) {
                merged.add(at);
                continue;
            }
            if (!merged.isEmpty() || isWhiteout(p, a)) {
                break; // hidden below a directory, or deleted
            }
            if (a.isSymbolicLink()) {
                return new Link(Files.readSymbolicLink(p).toString());
            }
            return new Leaf(at, a.isRegularFile());
        }
        return merged.isEmpty() ? null : new Dir(merged);
    }

    private static boolean isWhiteout(Path p, BasicFileAttributes a) throws IOException {
        if (!a.isOther()) {
            return false;
        }
        Object rdev = Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        return rdev instanceof Number n && n.longValue() == 0;
    }

    /**
     * Opens the file from its layer directory (the agent's own, opened as any path) directory by directory,
     * each name below it (the container's) with O_NOFOLLOW.
     */
    private static byte[] readNoFollow(At at) throws IOException {
        Path file = at.relative();
        DirectoryStream<Path> top = Files.newDirectoryStream(at.layer());
        if (!(top instanceof SecureDirectoryStream<Path> dir)) {
            top.close();
            throw new IOException("no SecureDirectoryStream on this platform");
        }
        try {
            for (int i = 0; i < file.getNameCount() - 1; i++) {
                SecureDirectoryStream<Path> next = dir.newDirectoryStream(file.getName(i), LinkOption.NOFOLLOW_LINKS);
                dir.close();
                dir = next;
            }
            try (SeekableByteChannel ch = dir.newByteChannel(file.getFileName(),
                    Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                    InputStream in = Channels.newInputStream(ch)) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw AgentException.invalidArgument(file.getFileName() + " of the container is larger than " + MAX_BYTES + " bytes");
                }
                return bytes;
            }
        } finally {
            dir.close();
        }
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                out.add(s);
            }
        }
        return out;
    }
}
