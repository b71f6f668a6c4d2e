package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupVersion;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgroupMoveWarmupTest {

    private static final String V1_SELF = "12:pids:/user.slice/agent\n11:cpu,cpuacct:/other\n0::/\n";

    @Test
    void v1_usesThePidsHierarchy() {
        CgroupLayout v1 = new CgroupLayout(CgroupVersion.V1, null,
                Map.of("pids", Path.of("/sys/fs/cgroup/pids"), "cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct")));
        assertThat(CgroupMoveWarmup.ownProcs(v1, V1_SELF))
                .isEqualTo(Path.of("/sys/fs/cgroup/pids/user.slice/agent/cgroup.procs"));
    }

    @Test
    void v1_withoutPids_isOff() {
        CgroupLayout v1 = new CgroupLayout(CgroupVersion.V1, null, Map.of("cpu", Path.of("/sys/fs/cgroup/cpu")));
        assertThat(CgroupMoveWarmup.ownProcs(v1, V1_SELF)).isNull();
    }

    @Test
    void v2_usesTheUnifiedLine() {
        CgroupLayout v2 = new CgroupLayout(CgroupVersion.V2, Path.of("/sys/fs/cgroup"), Map.of());
        assertThat(CgroupMoveWarmup.ownProcs(v2, "0::/system.slice/hawser.service\n"))
                .isEqualTo(Path.of("/sys/fs/cgroup/system.slice/hawser.service/cgroup.procs"));
        assertThat(CgroupMoveWarmup.ownProcs(v2, "0::/\n")).isEqualTo(Path.of("/sys/fs/cgroup/cgroup.procs"));
    }
}
