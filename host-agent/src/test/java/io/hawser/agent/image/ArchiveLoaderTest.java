package io.hawser.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import org.junit.jupiter.api.Test;

class ArchiveLoaderTest {

    @Test
    void memberNames_areNormalizedWithinTheArchive() {
        assertThat(ArchiveLoader.normalize("", "./abc/layer.tar", "m")).isEqualTo("abc/layer.tar");
        assertThat(ArchiveLoader.normalize("abc", "../def/layer.tar", "m")).isEqualTo("def/layer.tar");
        assertThat(ArchiveLoader.normalize("", "blobs//sha256/x", "m")).isEqualTo("blobs/sha256/x");
    }

    @Test
    void namesOutsideTheArchive_areRefused() {
        assertThatThrownBy(() -> ArchiveLoader.normalize("", "../x", "m")).isInstanceOf(AgentException.class)
                .hasMessageContaining("points outside the archive");
        assertThatThrownBy(() -> ArchiveLoader.normalize("a", "../../x", "m")).isInstanceOf(AgentException.class);
        assertThatThrownBy(() -> ArchiveLoader.normalize("", "/etc/passwd", "m")).isInstanceOf(AgentException.class)
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> ArchiveLoader.normalize("", "a\0b", "m")).isInstanceOf(AgentException.class);
    }
}
