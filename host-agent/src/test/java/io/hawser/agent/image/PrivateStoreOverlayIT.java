package io.hawser.agent.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.agent.storage.SpecialFiles;
import io.hawser.agent.storage.TarWriter;
import io.hawser.agent.sys.JnrSyscalls;
import io.hawser.agent.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 0700 image store on the real kernel: another local user cannot reach a snapshot directly, but a
 * container's overlay built on it still serves the files (the kernel opens lowerdirs with the mounter's
 * credentials).
 */
class PrivateStoreOverlayIT {

    @TempDir
    Path tmp;

    private final Syscalls sys = new JnrSyscalls();
    private Path merged;

    @AfterEach
    void unmount() throws Exception {
        if (merged != null && Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.contains(merged.toString()))) {
            sys.umount2(merged.toString(), Syscalls.MNT_DETACH);
        }
        assertThat(Files.readAllLines(Path.of("/proc/self/mounts"))).noneMatch(l -> l.contains(tmp.toString()));
    }

    /** {@code cat path} as nobody (65534), stdout and stderr together, and its exit code. */
    private static String catAsNobody(Path path) throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", path.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() + ":" + out;
    }

    @Test
    void snapshot_isUnreachableForOtherUsers_butServedThroughTheOverlay() throws Exception {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataRoot = Files.createDirectories(tmp.resolve("data"));
        ImageStore store = ImageStore.open(dataRoot, SpecialFiles.system(), e -> { }, Clock.systemUTC());
        Image image = store.importImage(new ByteArrayInputStream(new TarWriter().directory("etc", 0755)
                        .file("etc/motd", 0644, "hello\n".getBytes(StandardCharsets.UTF_8)).finish()),
                new ImageStore.ImportRequest(null, "", List.of(), "amd64"));
        Path snapshot = store.snapshotDirs(image.id()).get(0);
        Path upper = Files.createDirectories(tmp.resolve("c/upper"));
        Path work = Files.createDirectories(tmp.resolve("c/work"));
        merged = Files.createDirectories(tmp.resolve("c/merged"));
        Files.setPosixFilePermissions(tmp.resolve("c"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        sys.mount("overlay", merged.toString(), "overlay", 0,
                "lowerdir=" + snapshot + ",upperdir=" + upper + ",workdir=" + work);

        assertThat(catAsNobody(snapshot.resolve("etc/motd"))).startsWith("1:").contains("Permission denied");
        assertThat(catAsNobody(merged.resolve("etc/motd"))).isEqualTo("0:hello\n");
    }
}
