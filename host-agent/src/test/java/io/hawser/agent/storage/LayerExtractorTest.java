package io.hawser.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import io.hawser.agent.sys.FileSyscalls;
import io.hawser.agent.sys.JnrSyscalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerExtractorTest {

    @TempDir
    Path tmp;

    /** Records what would need mknod/xattrs; whiteouts become empty files so their place is visible. */
    static final class RecordingSpecialFiles implements SpecialFiles {
        final List<String> calls = new ArrayList<>();

        @Override
        public void device(Path path, boolean block, int major, int minor) {
            calls.add((block ? "b " : "c ") + path.getFileName() + " " + major + "/" + minor);
            try {
                Files.createFile(path);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void fifo(Path path) {
            calls.add("p " + path.getFileName());
            try {
                Files.createFile(path);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void opaque(Path directory) {
            calls.add("opaque " + directory.getFileName());
        }
    }

    private final RecordingSpecialFiles special = new RecordingSpecialFiles();

    private Path root() throws IOException {
        return Files.createDirectories(tmp.resolve("snap"));
    }

    private LayerExtractor.Result extract(byte[] tar, Path root) throws IOException {
        return new LayerExtractor(special, false).extract(new ByteArrayInputStream(tar), root);
    }

    private void assertRefused(byte[] tar, String message) throws IOException {
        Path root = root();
        assertThatThrownBy(() -> extract(tar, root))
                .isInstanceOf(AgentException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((AgentException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThat(tmp.resolve("escaped")).doesNotExist();
    }

    @Test
    void extract_keepsFilesDirectoriesSymlinksHardlinksAndModes() throws IOException {
        Path root = root();
        byte[] tar = new TarWriter()
                .directory("./", 0755)
                .directory("bin/", 0750)
                .file("bin/busybox", 04755, "ELF".getBytes(StandardCharsets.UTF_8))
                .symlink("bin/sh", "busybox")
                .symlink("bin/abs", "/bin/busybox")
                .hardlink("bin/ls", "bin/busybox")
                .file("etc/implicit-parent", 0600, "x".getBytes(StandardCharsets.UTF_8))
                .finish();
        LayerExtractor.Result result = extract(tar, root);
        assertThat(result.size()).isEqualTo(4);
        assertThat(result.entries()).isEqualTo(7);
        assertThat(root.resolve("bin/busybox")).hasContent("ELF");
        assertThat(Files.getAttribute(root.resolve("bin/busybox"), "unix:mode")).isEqualTo(0100000 | 04755);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin")))).isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(Files.readSymbolicLink(root.resolve("bin/abs"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(Files.getAttribute(root.resolve("bin/ls"), "unix:nlink")).isEqualTo(2);
        assertThat(Files.getLastModifiedTime(root.resolve("bin")).toMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(root.resolve("etc/implicit-parent")).hasContent("x");
    }

    @Test
    void extract_refusesParentComponents() throws IOException {
        assertRefused(new TarWriter().file("../escaped", 0644, new byte[1]).finish(),
                "refusing tar entry '../escaped': path escapes the layer");
        assertRefused(new TarWriter().file("a/../../escaped", 0644, new byte[1]).finish(),
                "refusing tar entry 'a/../../escaped': path escapes the layer");
    }

    @Test
    void extract_refusesAbsoluteNames() throws IOException {
        assertRefused(new TarWriter().file("/tmp/escaped", 0644, new byte[1]).finish(),
                "refusing tar entry '/tmp/escaped': absolute paths are not allowed in a layer");
    }

    @Test
    void extract_refusesRelativeSymlinkClimbingOutOfTheLayer() throws IOException {
        assertRefused(new TarWriter().directory("a", 0755).symlink("a/evil", "../../escaped").finish(),
                "refusing tar entry 'a/evil': symlink target '../../escaped' resolves outside the layer");
    }

    @Test
    void extract_refusesWritingThroughAnEarlierSymlink() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        assertRefused(new TarWriter().symlink("link", outside.toString()).file("link/escaped", 0644, new byte[1]).finish(),
                "refusing tar entry 'link/escaped': it would be written through the symlink 'link'");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void extract_replacesAnEarlierSymlinkRatherThanWritingThroughIt() throws IOException {
        Path outside = Files.createFile(tmp.resolve("outside-file"));
        Path root = root();
        extract(new TarWriter().symlink("f", outside.toString()).file("f", 0644, "new".getBytes(StandardCharsets.UTF_8)).finish(), root);
        assertThat(outside).isEmptyFile();
        assertThat(root.resolve("f")).hasContent("new");
    }

    @Test
    void extract_refusesHardlinkOutsideOrThroughSymlinks() throws IOException {
        assertRefused(new TarWriter().hardlink("h", "../escaped").finish(), "refusing tar entry 'h': path escapes the layer");
        assertRefused(new TarWriter().hardlink("h", "/etc/passwd").finish(),
                "refusing tar entry 'h': absolute paths are not allowed in a layer");
        assertRefused(new TarWriter().symlink("l", "/etc").hardlink("h", "l/passwd").finish(),
                "refusing tar entry 'h': it would be written through the symlink 'l'");
        assertRefused(new TarWriter().hardlink("h", "missing").finish(),
                "refusing tar entry 'h': hardlink target 'missing' is not in the layer");
    }

    @Test
    void extract_refusesDevicesUnlessAllowed() throws IOException {
        assertRefused(new TarWriter().device("dev/sda", true, 8, 0).finish(),
                "refusing tar entry 'dev/sda': block device nodes are not allowed in imported layers");
        assertRefused(new TarWriter().device("dev/mem", false, 1, 1).finish(),
                "refusing tar entry 'dev/mem': character device nodes are not allowed in imported layers");
        Path root = Files.createDirectories(tmp.resolve("allowed"));
        new LayerExtractor(special, true).extract(new ByteArrayInputStream(
                new TarWriter().device("dev/null", false, 1, 3).fifo("p").finish()), root);
        assertThat(special.calls).containsExactly("c null 1/3", "p p");
    }

    @Test
    void extract_turnsWhiteoutsIntoOverlayWhiteoutsAndOpaqueDirectories() throws IOException {
        Path root = root();
        extract(new TarWriter()
                .directory("etc", 0755)
                .file("etc/.wh.passwd", 0644, new byte[0])
                .directory("var/cache", 0755)
                .file("var/cache/.wh..wh..opq", 0644, new byte[0])
                .finish(), root);
        assertThat(special.calls).containsExactly("c passwd 0/0", "opaque cache");
        assertThat(root.resolve("etc/.wh.passwd")).doesNotExist();
        assertThat(root.resolve("var/cache/.wh..wh..opq")).doesNotExist();
    }

    @Test
    void extract_fifoAndDevice_areNeverOpened_andGetTheirModeAndTime() throws Exception {
        Path root = root();
        // Before: Files.setAttribute(..., NOFOLLOW_LINKS) opened the FIFO and blocked forever.
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> new LayerExtractor(SpecialFiles.system(), true)
                .extract(new ByteArrayInputStream(new TarWriter().header("p", '6', "", 0644, 0, 0, 0).device("null", false, 1, 3).finish()), root));

        assertThat(Files.getAttribute(root.resolve("p"), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0010644);
        assertThat(Files.getAttribute(root.resolve("null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0x103L);
    }

    @Test
    void extract_opaqueMarker_isNeverWrittenThroughALaterSymlink() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.setLastModifiedTime(outside, java.nio.file.attribute.FileTime.fromMillis(1000));
        Path root = root();

        new LayerExtractor(SpecialFiles.system(), false).extract(new ByteArrayInputStream(new TarWriter()
                .file("d/.wh..wh..opq", 0644, new byte[0])
                .symlink("d", outside.toString())
                .finish()), root);

        FileSyscalls fs = new JnrSyscalls();
        assertThat(fs.lgetxattr(outside, "trusted.overlay.opaque")).isEmpty();
        assertThat(Files.getLastModifiedTime(outside).toMillis()).isEqualTo(1000);
        assertThat(Files.isSymbolicLink(root.resolve("d"))).isTrue();
    }

    @Test
    void extract_directoryReplacedByASymlink_keepsTheTargetsModeAndTime() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.setPosixFilePermissions(outside, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(outside, java.nio.file.attribute.FileTime.fromMillis(1000));
        Path root = root();

        new LayerExtractor(SpecialFiles.system(), false).extract(new ByteArrayInputStream(new TarWriter()
                .directory("d", 0777)
                .directory("d/e", 0777)
                .symlink("d", outside.toString())
                .finish()), root);

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(outside))).isEqualTo("rwxr-xr-x");
        assertThat(Files.getLastModifiedTime(outside).toMillis()).isEqualTo(1000);
    }

    @Test
    void extract_refusesMoreEntriesOrBytesThanTheLimits() throws IOException {
        byte[] tar = new TarWriter().file("a", 0644, new byte[0]).file("b", 0644, new byte[0]).file("c", 0644, new byte[0]).finish();

        assertThatThrownBy(() -> new LayerExtractor(special, false, new ImportLimits(1 << 20, 2))
                .extract(new ByteArrayInputStream(tar), root()))
                .isInstanceOf(AgentException.class).hasMessage("the layer has more than the 2 entries allowed");
        assertThatThrownBy(() -> new LayerExtractor(special, false, new ImportLimits(1024, 100))
                .extract(new ByteArrayInputStream(new TarWriter().file("big", 0644, new byte[4096]).finish()), root()))
                .isInstanceOf(AgentException.class).hasMessage("the layer is larger than the 1024 bytes allowed");
    }

    @Test
    void extract_refusesWhiteoutOfParent() throws IOException {
        assertRefused(new TarWriter().file("a/.wh...", 0644, new byte[0]).finish(),
                "refusing tar entry 'a/.wh...': not a valid whiteout name");
    }

    @Test
    void extract_followsPaxAndGnuLongNames() throws IOException {
        Path root = root();
        String longDir = "d".repeat(120);
        extract(new TarWriter()
                .paxHeader("x", "path", longDir + "/pax-file")
                .file("truncated", 0644, "p".getBytes(StandardCharsets.UTF_8))
                .gnuLongName(longDir + "/gnu-file")
                .file("truncated2", 0644, "g".getBytes(StandardCharsets.UTF_8))
                .finish(), root);
        assertThat(root.resolve(longDir + "/pax-file")).hasContent("p");
        assertThat(root.resolve(longDir + "/gnu-file")).hasContent("g");
        assertThat(Files.exists(root.resolve("truncated"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void extract_refusesPaxPathEscapes() throws IOException {
        assertRefused(new TarWriter().paxHeader("x", "path", "../escaped").file("harmless", 0644, new byte[1]).finish(),
                "refusing tar entry '../escaped': path escapes the layer");
    }
}
