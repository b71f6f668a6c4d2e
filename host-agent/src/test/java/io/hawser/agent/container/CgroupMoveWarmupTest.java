package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void kickAndHold_writesAgainUntilTheWindowEnds(@TempDir Path tmp) throws Exception {
        Path procs = Files.createFile(tmp.resolve("cgroup.procs"));
        CgroupMoveWarmup w = CgroupMoveWarmup.forProcsFile(procs);
        w.kickAndHold(Duration.ofMinutes(10));
        await(() -> Files.size(procs) > 0);
        Files.write(procs, new byte[0]); // truncated: only a later write fills it again
        await(() -> Files.size(procs) > 0);
        assertThat(Files.readString(procs)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(w.holding()).isTrue();
        w.kickAndHold(Duration.ZERO); // the window now ends at once
        await(() -> !w.holding());
    }

    @Test
    void aFailingWrite_turnsItOff(@TempDir Path tmp) throws Exception {
        CgroupMoveWarmup w = CgroupMoveWarmup.forProcsFile(tmp); // a directory: the write fails
        w.kickAndHold(Duration.ofMinutes(10));
        await(() -> !w.holding());
        w.kickAndHold(Duration.ofMinutes(10));
        assertThat(w.holding()).isFalse();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Generous: a deadline for a stuck scheduler on a loaded machine, not a measure of speed. */
    private static void await(Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(5);
        }
    }
}
