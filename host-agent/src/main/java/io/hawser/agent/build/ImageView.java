package io.hawser.agent.build;

import io.hawser.agent.sys.SyscallException;
import io.hawser.agent.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An image's file system, read-only, for {@code COPY --from}: an overlay of its snapshots (plus an empty
 * directory, as overlayfs wants two lower layers without an upper) mounted {@code MS_RDONLY} on a private
 * directory, unmounted by {@link #close}. Paths in it are resolved with ScopedPath like any container root.
 */
final class ImageView implements AutoCloseable {

    private final Syscalls sys;
    private final Path root;
    private final boolean mounted;

    private ImageView(Syscalls sys, Path root, boolean mounted) {
        this.sys = sys;
        this.root = root;
        this.mounted = mounted;
    }

    /** @param layers the image's snapshot directories, top first; {@code work} an empty private directory */
    static ImageView mount(Syscalls sys, List<Path> layers, Path work) throws IOException {
        Path empty = Files.createDirectories(work.resolve("empty"));
        Path merged = Files.createDirectories(work.resolve("merged"));
        StringBuilder lower = new StringBuilder();
        for (Path p : layers) {
            lower.append(p).append(':');
        }
        lower.append(empty);
        sys.mount("overlay", merged.toString(), "overlay", Syscalls.MS_RDONLY, "lowerdir=" + lower);
        return new ImageView(sys, merged, true);
    }

    Path root() {
        return root;
    }

    @Override
    public void close() {
        if (!mounted) {
            return;
        }
        try {
            sys.umount2(root.toString(), 0);
        } catch (SyscallException e) {
            sys.umount2(root.toString(), Syscalls.MNT_DETACH);
        }
    }
}
