package io.hawser.console.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Image tarballs for tests, made with the system's tar from Debian's busybox-static. */
public final class Tarballs {

    private Tarballs() {}

    /**
     * A busybox root filesystem ({@code bin/busybox}, {@code bin/sh} and the given extra applets as links to it, plus
     * {@code padding} bytes of a file when positive) as {@code dir/<name>.tar}, its tree in {@code dir/<name>-rootfs}.
     */
    public static Path busybox(Path dir, String name, int padding, String... applets) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve(name + "-rootfs"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        for (String applet : applets) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        if (padding > 0) {
            byte[] bytes = new byte[padding];
            new Random(42).nextBytes(bytes);
            Files.write(root.resolve("padding"), bytes);
        }
        Path tar = dir.resolve(name + ".tar");
        Commands.run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), "."));
        return tar;
    }
}
