package io.hawser.agent.api.http;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The socket file's life around bind: make room for it before, restrict it after, remove it at the
 * end, and never remove one that belongs to another process.
 */
final class UnixSocketFile {

    /** Owner and group may connect (dockerd's default is 0660 with group docker). */
    static final Set<PosixFilePermission> MODE_0660 = PosixFilePermissions.fromString("rw-rw----");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private Object boundFileKey;

    UnixSocketFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    Path path() {
        return path;
    }

    /**
     * Creates the parent folders and removes a stale socket left by a process that died. A socket some
     * process still accepts on, or a path that is not a socket at all, is refused, not removed.
     */
    void prepare() {
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw AgentException.system("create folder " + path.getParent() + " for the API socket", e);
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket()) {
            throw AgentException.conflict(path + " exists and is not a socket; refusing to replace it");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw AgentException.conflict("another process is already serving on unix socket " + path
                    + "; stop it or choose another --socket");
        } catch (ConnectException refused) {
            deleteStale();
        } catch (IOException e) {
            throw AgentException.system("probe existing unix socket " + path, e);
        }
    }

    /**
     * Called right after bind. Between bind and this chmod the socket has the mode the umask gives;
     * connecting needs write permission, which a daemon's usual 022 umask withholds from group and others.
     */
    void restrict() {
        try {
            Files.setPosixFilePermissions(path, MODE_0660);
            boundFileKey = fileKey();
        } catch (IOException e) {
            throw AgentException.system("chmod 0660 unix socket " + path, e);
        }
    }

    /** Deletes the socket if it is still the one we bound (a successor may have replaced it). */
    void removeIfOurs() {
        try {
            if (boundFileKey != null && Objects.equals(boundFileKey, fileKey())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Already gone, or not ours to delete: nothing to clean up.
        }
    }

    private boolean isSocket() {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (IOException e) {
            throw AgentException.system("stat " + path, e);
        }
    }

    private void deleteStale() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw AgentException.system("remove stale unix socket " + path, e);
        }
    }

    private Object fileKey() throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
