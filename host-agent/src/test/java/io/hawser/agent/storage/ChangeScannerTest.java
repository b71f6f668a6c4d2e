package io.hawser.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeScannerTest {

    @TempDir
    Path tmp;

    private static final FileTime T0 = FileTime.from(Instant.parse("2024-01-01T00:00:00.123456789Z"));

    private Path dir(Path root, String rel) throws IOException {
        Path d = Files.createDirectories(root.resolve(rel));
        return d;
    }

    private void file(Path root, String rel, String text) throws IOException {
        Files.createDirectories(root.resolve(rel).getParent());
        Files.writeString(root.resolve(rel), text);
    }

    private static Change c(String path, Change.Kind kind) {
        return new Change(path, kind);
    }

    /** Lower and upper directories with equal mode and mtime, as overlayfs copies a directory up. */
    private void sameDir(Path lower, Path upper, String rel) throws IOException {
        Files.setLastModifiedTime(dir(lower, rel), T0);
        Files.setLastModifiedTime(dir(upper, rel), T0);
    }

    @Test
    void scan_classifiesAddModify_andReportsParentsOfAddsOnce() throws Exception {
        Path lower = dir(tmp, "lower");
        Path upper = dir(tmp, "upper");
        file(lower, "etc/passwd", "root");
        file(lower, "etc/group", "root");
        file(upper, "etc/passwd", "root\nweb");
        file(upper, "etc/new1", "a");
        file(upper, "etc/new2", "b");
        file(upper, "newfile", "x");
        sameDir(lower, upper, "etc"); // after the files, which would touch the mtime
        file(upper, "var/log/app.log", "x"); // var is new: A for each level, no extra C

        List<Change> changes = ChangeScanner.system().scan(upper, List.of(lower));

        assertThat(changes).containsExactly(
                c("/etc", Change.Kind.MODIFY),
                c("/etc/new1", Change.Kind.ADD),
                c("/etc/new2", Change.Kind.ADD),
                c("/etc/passwd", Change.Kind.MODIFY),
                c("/newfile", Change.Kind.ADD),
                c("/var", Change.Kind.ADD),
                c("/var/log", Change.Kind.ADD),
                c("/var/log/app.log", Change.Kind.ADD));
    }

    @Test
    void scan_unchangedDirectoryAboveAModifiedFile_isNotReported_andWalkOrderIsDockerds() throws Exception {
        Path lower = dir(tmp, "lower");
        Path upper = dir(tmp, "upper");
        file(lower, "etc/passwd", "root");
        file(lower, "etc-x/a", "a");
        file(upper, "etc/passwd", "changed");
        file(upper, "etc-x/a", "changed");
        sameDir(lower, upper, "etc");
        Files.setLastModifiedTime(upper.resolve("etc-x"), FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));

        List<Change> changes = ChangeScanner.system().scan(upper, List.of(lower));

        // filepath.Walk order: "etc" and its content before "etc-x", although "/etc-x" < "/etc/passwd" as strings
        assertThat(changes).containsExactly(
                c("/etc/passwd", Change.Kind.MODIFY),
                c("/etc-x", Change.Kind.MODIFY),
                c("/etc-x/a", Change.Kind.MODIFY));
    }

    @Test
    void scan_findsPathsInAnyLowerLayer() throws Exception {
        Path top = dir(tmp, "top");
        Path bottom = dir(tmp, "bottom");
        Path upper = dir(tmp, "upper");
        file(bottom, "bin/sh", "sh");
        file(upper, "bin/sh", "new sh");
        sameDir(bottom, upper, "bin");
        assertThat(ChangeScanner.system().scan(upper, List.of(top, bottom)))
                .containsExactly(c("/bin/sh", Change.Kind.MODIFY));
    }

    @Test
    void scan_whiteoutsAndOpaqueDirectoriesAreDeletes() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mknod of a whiteout needs CAP_MKNOD");
        Path lower = dir(tmp, "lower");
        Path upper = dir(tmp, "upper");
        file(lower, "etc/passwd", "root");
        file(lower, "cache/old", "old");
        sameDir(lower, upper, "etc");
        SpecialFiles.system().whiteout(upper.resolve("etc/passwd"));
        Files.setLastModifiedTime(upper.resolve("etc"), T0);
        file(upper, "cache/new", "new");
        SpecialFiles.system().opaque(upper.resolve("cache"));

        List<Change> changes = ChangeScanner.system().scan(upper, List.of(lower));

        assertThat(changes).containsExactly(
                c("/cache", Change.Kind.DELETE),
                c("/cache/new", Change.Kind.ADD),
                c("/etc", Change.Kind.MODIFY),
                c("/etc/passwd", Change.Kind.DELETE));
    }

    @Test
    void scan_missingUpperHasNoChanges() {
        assertThat(ChangeScanner.system().scan(tmp.resolve("gone"), List.of())).isEmpty();
    }

    @Test
    void scan_aSymlinkInALowerLayer_doesNotLeadToHostFiles() throws Exception {
        Path host = dir(tmp, "host");
        file(host, "secret", "host file");
        Path lower = dir(tmp, "lower");
        Files.createSymbolicLink(lower.resolve("a"), host);
        Path upper = dir(tmp, "upper");
        file(upper, "a/secret", "mine");

        // "C" would tell the container that the host has <host>/secret.
        assertThat(ChangeScanner.system().scan(upper, List.of(lower))).containsExactly(
                c("/a", Change.Kind.MODIFY), c("/a/secret", Change.Kind.ADD));
    }

    @Test
    void scan_neverFollowsASymlinkInTheUpperDirectory() throws Exception {
        Path host = dir(tmp, "host");
        file(host, "passwd", "host file");
        Path upper = dir(tmp, "upper");
        Files.createSymbolicLink(upper.resolve("etc"), host);

        assertThat(ChangeScanner.system().scan(upper, List.of())).containsExactly(c("/etc", Change.Kind.ADD));
    }

    @Test
    void sameFsTime_ignoresNanosWhenOneSideHasNone() {
        FileTime whole = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(ChangeScanner.sameFsTime(T0, whole)).isTrue();
        assertThat(ChangeScanner.sameFsTime(T0, FileTime.from(Instant.parse("2024-01-01T00:00:00.5Z")))).isFalse();
        assertThat(ChangeScanner.sameFsTime(T0, FileTime.from(Instant.parse("2024-01-01T00:00:01Z")))).isFalse();
    }
}
