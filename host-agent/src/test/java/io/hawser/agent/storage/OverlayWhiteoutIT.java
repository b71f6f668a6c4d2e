package io.hawser.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshots {@link LayerExtractor} writes with {@link SpecialFiles#system()} behave as overlayfs layers
 * on the real kernel: a {@code .wh.NAME} hides NAME of the layer below, a {@code .wh..wh..opq} directory
 * hides everything below it. Needs root (mknod, trusted xattrs, mount).
 */
class OverlayWhiteoutIT {

    @TempDir
    Path tmp;

    @Test
    void whiteoutsAndOpaqueDirectories_hideLowerLayersInAnOverlayMount() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for mknod, trusted xattrs and mount");
        Path bottom = Files.createDirectories(tmp.resolve("bottom"));
        Files.createDirectories(bottom.resolve("etc"));
        Files.writeString(bottom.resolve("etc/passwd"), "lower");
        Files.writeString(bottom.resolve("etc/keep"), "kept");
        Files.createDirectories(bottom.resolve("cache"));
        Files.writeString(bottom.resolve("cache/old"), "old");

        Path top = Files.createDirectories(tmp.resolve("top"));
        new LayerExtractor(SpecialFiles.system(), false).extract(new ByteArrayInputStream(new TarWriter()
                .directory("etc", 0755)
                .file("etc/.wh.passwd", 0644, new byte[0])
                .directory("cache", 0755)
                .file("cache/.wh..wh..opq", 0644, new byte[0])
                .file("cache/new", 0644, "new".getBytes(StandardCharsets.UTF_8))
                .finish()), top);
        assertThat(Files.getAttribute(top.resolve("etc/passwd"), "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);

        Path merged = Files.createDirectories(tmp.resolve("merged"));
        run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + top + ":" + bottom, merged.toString());
        try {
            assertThat(merged.resolve("etc/passwd")).doesNotExist();
            assertThat(merged.resolve("etc/keep")).hasContent("kept");
            assertThat(merged.resolve("cache/old")).doesNotExist();
            assertThat(merged.resolve("cache/new")).hasContent("new");
        } finally {
            run("umount", merged.toString());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
