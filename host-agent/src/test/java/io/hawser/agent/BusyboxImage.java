package io.hawser.agent;

import io.hawser.agent.storage.TarWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A root filesystem tarball built at test time from Debian's busybox-static ({@code /bin/busybox},
 * {@code apt-get install busybox-static}): {@code bin/busybox} plus symlinks for common applets, and
 * the directories a container expects. Reusable by every IT that needs an image to import.
 */
public final class BusyboxImage {

    public static final Path BUSYBOX = Path.of("/bin/busybox");

    /** Applets linked in {@code /bin}; enough for shell scripts in tests. */
    public static final List<String> APPLETS = List.of("sh", "ls", "cat", "echo", "true", "false", "sleep", "ps", "id",
            "hostname", "env", "touch", "rm", "mkdir", "grep", "head", "wc", "kill", "dd", "yes", "top", "httpd", "printf", "test",
            "tail", "pwd", "seq", "date", "ping", "wget", "nc", "ip");

    private BusyboxImage() {}

    public static boolean available() {
        return Files.isRegularFile(BUSYBOX);
    }

    /** Writes the tarball to {@code target} and returns it. */
    public static Path write(Path target) throws IOException {
        Files.write(target, bytes());
        return target;
    }

    public static byte[] bytes() throws IOException {
        TarWriter tar = new TarWriter().directory("./", 0755);
        for (String dir : List.of("bin/", "etc/", "tmp/", "proc/", "sys/", "dev/", "root/", "var/")) {
            tar.directory(dir, dir.equals("tmp/") ? 01777 : 0755);
        }
        tar.file("bin/busybox", 0755, Files.readAllBytes(BUSYBOX));
        for (String applet : APPLETS) {
            tar.symlink("bin/" + applet, "busybox");
        }
        tar.file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n".getBytes());
        tar.file("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n".getBytes());
        return tar.finish();
    }
}
