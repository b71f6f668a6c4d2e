package io.hawser.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupPathTest {

    @Test
    void of_putsTheNameBelowTheParent() {
        CgroupPath p = CgroupPath.of("/hawser/", "0123abcd");
        assertThat(p.segments()).containsExactly("hawser", "0123abcd");
        assertThat(p.toString()).isEqualTo("hawser/0123abcd");
        assertThat(p.name()).isEqualTo("0123abcd");
        assertThat(p.under(Path.of("/sys/fs/cgroup/memory"))).isEqualTo(Path.of("/sys/fs/cgroup/memory/hawser/0123abcd"));
        assertThat(CgroupPath.parse("a//b").segments()).containsExactly("a", "b");
    }

    @Test
    void parse_rejectsClimbingAndEmptyPaths() {
        assertThatThrownBy(() -> CgroupPath.parse("hawser/../../etc")).isInstanceOf(AgentException.class).hasMessageContaining("'..'");
        assertThatThrownBy(() -> CgroupPath.parse("/")).isInstanceOf(AgentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> new CgroupPath(List.of("a/b"))).isInstanceOf(AgentException.class);
        assertThatThrownBy(() -> CgroupPath.of("hawser", ".")).isInstanceOf(AgentException.class);
    }
}
