package io.hawser.agent.introspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.agent.cgroups.CgroupLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {

    @TempDir
    Path tmp;

    @Test
    void osRelease_unquotesValues() {
        var m = HostFacts.osRelease("# comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID='12'\nID=debian\n");
        assertThat(m).containsEntry("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)").containsEntry("VERSION_ID", "12")
                .containsEntry("ID", "debian");
    }

    @Test
    void memTotal_isInBytes() {
        assertThat(HostFacts.memTotal("MemTotal:       24684096 kB\nMemFree: 1 kB\n")).isEqualTo(24684096L * 1024);
        assertThat(HostFacts.memTotal("")).isZero();
    }

    @Test
    void read_thisHost() {
        HostFacts f = HostFacts.read();
        assertThat(f.memTotal()).isPositive();
        assertThat(f.machine()).isNotBlank().doesNotContain("\n");
        assertThat(f.hostname()).isNotBlank();
        assertThat(HostFacts.backingFilesystem(tmp)).isNotBlank();
    }

    @Test
    void engineId_isCreatedOnce_andKept() {
        String id = EngineId.loadOrCreate(tmp.resolve("root"));
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(EngineId.loadOrCreate(tmp.resolve("root"))).isEqualTo(id);
        assertThat(tmp.resolve("root").resolve(EngineId.FILE)).hasContent(id);
    }

    @Test
    void netDev_skipsLoopback() {
        var m = NetDev.parse(List.of(
                "Inter-|   Receive                                                |  Transmit",
                " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
                "    lo: 19525451   29836    0    0    0     0          0         0 19525451   29836    0    0    0     0       0          0",
                "  eth0: 736       8    1    2    0     0          0         0  100       3    4    5    0     0       0          0"));
        assertThat(m).containsOnlyKeys("eth0");
        assertThat(m.get("eth0")).isEqualTo(new NetDev.Counters(736, 8, 1, 2, 100, 3, 4, 5));
    }

    @Test
    void cgroupSupport_v1_fromControllerFiles() throws Exception {
        Path root = tmp.resolve("cg");
        for (String f : List.of("memory/memory.limit_in_bytes", "cpu,cpuacct/cpu.shares", "cpu,cpuacct/cpu.cfs_period_us",
                "cpu,cpuacct/cpu.cfs_quota_us", "pids/cgroup.procs")) {
            Files.createDirectories(root.resolve(f).getParent());
            Files.writeString(root.resolve(f), "0\n");
        }
        CgroupSupport s = CgroupSupport.of(CgroupLayout.fromTree(root));
        assertThat(s).isEqualTo(new CgroupSupport(true, false, true, true, false, true));
        assertThat(s.warnings()).containsExactly("WARNING: No swap limit support", "WARNING: No cpuset support");
    }

    @Test
    void cgroupSupport_v2_fromRootControllers() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("cg2"));
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        assertThat(CgroupSupport.of(CgroupLayout.fromTree(root))).isEqualTo(new CgroupSupport(true, true, true, true, true, true));
        Files.writeString(root.resolve("cgroup.controllers"), "\n");
        assertThat(CgroupSupport.of(CgroupLayout.fromTree(root)).warnings()).hasSize(7);
    }
}
