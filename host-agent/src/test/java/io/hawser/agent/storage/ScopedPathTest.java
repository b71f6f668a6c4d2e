package io.hawser.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScopedPathTest {

    @TempDir
    Path root;

    @Test
    void absoluteSymlink_meansTheContainersRoot_notTheHosts() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("evil"), Path.of("/etc"));
        assertThat(ScopedPath.resolve(root, "/evil/passwd", true)).isEqualTo(List.of("etc", "passwd"));
    }

    @Test
    void dotDot_andRelativeLinks_neverClimbAboveTheRoot() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.createSymbolicLink(root.resolve("a/b/up"), Path.of("../../../../../../etc"));
        assertThat(ScopedPath.resolve(root, "/../../x", true)).isEqualTo(List.of("x"));
        assertThat(ScopedPath.resolve(root, "/a/b/up/shadow", true)).isEqualTo(List.of("etc", "shadow"));
        assertThat(ScopedPath.resolve(root, "/a/./b/../b", true)).isEqualTo(List.of("a", "b"));
        assertThat(ScopedPath.resolve(root, "/", true)).isEmpty();
    }

    @Test
    void lastComponent_isKeptAsALink_unlessFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("l"), Path.of("/target"));
        assertThat(ScopedPath.resolve(root, "/l", false)).isEqualTo(List.of("l"));
        assertThat(ScopedPath.resolve(root, "/l", true)).isEqualTo(List.of("target"));
    }

    @Test
    void linkLoops_areRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));
        assertThatThrownBy(() -> ScopedPath.resolve(root, "/loop/x", true)).isInstanceOf(AgentException.class)
                .hasMessageContaining("too many links");
    }
}
