package io.hawser.agent.cgroups.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v1 driver against a temp dir laid out like /sys/fs/cgroup on a v1 host. */
class V1DriverTest {

    private static final long MIB = 1024 * 1024;
    private static final String UNLIMITED = "9223372036854771712"; // what v1 reads for "no limit" (page-rounded)
    private static final CgroupPath CONTAINER = CgroupPath.of("hawser", "c0ffee");

    @TempDir
    Path root;

    private V1Driver driver;

    @BeforeEach
    void layOutCgroupfs() throws IOException {
        for (String c : new String[] {"memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer", "systemd"}) {
            Files.createDirectories(root.resolve(c));
        }
        Files.writeString(root.resolve("cpuset/cpuset.cpus"), "0-1\n");
        Files.writeString(root.resolve("cpuset/cpuset.mems"), "0\n");
        driver = new V1Driver(CgroupLayout.fromTree(root));
    }

    private String read(String file) throws IOException {
        return Files.readString(root.resolve(file)).strip();
    }

    private void write(String file, String content) throws IOException {
        Files.createDirectories(root.resolve(file).getParent());
        Files.writeString(root.resolve(file), content);
    }

    @Test
    void create_makesTheCgroupInEveryController_andWritesLimits() throws IOException {
        driver.create(CONTAINER, Resources.none().withMemory(32 * MIB).withNanoCpus(500_000_000).withCpuShares(512).withPidsLimit(32L));

        for (String c : new String[] {"memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer"}) {
            assertThat(root.resolve(c + "/hawser/c0ffee")).as(c).isDirectory();
        }
        assertThat(root.resolve("systemd/hawser")).doesNotExist();
        assertThat(read("memory/hawser/c0ffee/memory.limit_in_bytes")).isEqualTo("33554432");
        assertThat(read("cpu/hawser/c0ffee/cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(read("cpu/hawser/c0ffee/cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(read("cpu/hawser/c0ffee/cpu.shares")).isEqualTo("512");
        assertThat(read("pids/hawser/c0ffee/pids.max")).isEqualTo("32");
        assertThat(driver.exists(CONTAINER)).isTrue();
        assertThat(driver.exists(CgroupPath.of("hawser", "other"))).isFalse();
    }

    @Test
    void create_copiesCpusetFromParents_soTasksCanJoin() throws IOException {
        driver.create(CONTAINER, Resources.none());
        assertThat(read("cpuset/hawser/cpuset.cpus")).isEqualTo("0-1");
        assertThat(read("cpuset/hawser/cpuset.mems")).isEqualTo("0");
        assertThat(read("cpuset/hawser/c0ffee/cpuset.cpus")).isEqualTo("0-1");
        assertThat(read("cpuset/hawser/c0ffee/cpuset.mems")).isEqualTo("0");
    }

    @Test
    void create_withCpuset_overridesTheInheritedValue() throws IOException {
        driver.create(CONTAINER, Resources.none().withCpuset("1", ""));
        assertThat(read("cpuset/hawser/c0ffee/cpuset.cpus")).isEqualTo("1");
        assertThat(read("cpuset/hawser/c0ffee/cpuset.mems")).isEqualTo("0");
    }

    @Test
    void create_unlimitedPids_writesMax() throws IOException {
        driver.create(CONTAINER, Resources.none().withPidsLimit(-1L));
        assertThat(read("pids/hawser/c0ffee/pids.max")).isEqualTo("max");
    }

    @Test
    void create_withSwapAccounting_writesMemoryPlusSwap() throws IOException {
        write("memory/hawser/c0ffee/memory.limit_in_bytes", UNLIMITED);
        write("memory/hawser/c0ffee/memory.memsw.limit_in_bytes", UNLIMITED);

        driver.create(CONTAINER, Resources.none().withMemory(32 * MIB).withDockerDefaults());

        assertThat(read("memory/hawser/c0ffee/memory.limit_in_bytes")).isEqualTo("33554432");
        assertThat(read("memory/hawser/c0ffee/memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(64 * MIB));
    }

    @Test
    void create_withoutSwapAccounting_leavesMemswAlone() throws IOException {
        driver.create(CONTAINER, Resources.none().withMemory(32 * MIB).withDockerDefaults());
        assertThat(root.resolve("memory/hawser/c0ffee/memory.memsw.limit_in_bytes")).doesNotExist();
    }

    @Test
    void update_raisingTheLimit_endsWithBothValues() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none());
        write("memory/hawser/c0ffee/memory.limit_in_bytes", Long.toString(32 * MIB));
        write("memory/hawser/c0ffee/memory.memsw.limit_in_bytes", Long.toString(64 * MIB));

        cg.update(Resources.none().withMemory(128 * MIB).withMemorySwap(256 * MIB));

        assertThat(read("memory/hawser/c0ffee/memory.limit_in_bytes")).isEqualTo(Long.toString(128 * MIB));
        assertThat(read("memory/hawser/c0ffee/memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(256 * MIB));
    }

    @Test
    void create_deniesAllDevices_thenAllowsDockersDefaults() throws IOException {
        driver.create(CONTAINER, Resources.none());

        // Plain files keep only the last write; the order of every write is checked in DeviceRuleTest
        // and the kernel's answer in DeviceCgroupIT.
        assertThat(read("devices/hawser/c0ffee/devices.deny")).isEqualTo("a");
        assertThat(read("devices/hawser/c0ffee/devices.allow")).isEqualTo("c 10:200 rwm");
    }

    @Test
    void create_isRefused_withoutTheDevicesController() throws IOException {
        Path noDevices = root.resolve("nodev");
        Files.createDirectories(noDevices.resolve("memory"));
        V1Driver d = new V1Driver(CgroupLayout.fromTree(noDevices));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.create(CONTAINER, Resources.none()))
                .hasMessageContaining("devices controller is not mounted");
    }

    @Test
    void addProcess_writesThePidIntoEachHierarchyOnce() throws IOException {
        Path coMounted = root.resolve("co");
        Files.createDirectories(coMounted.resolve("cpu,cpuacct"));
        Files.createSymbolicLink(coMounted.resolve("cpu"), coMounted.resolve("cpu,cpuacct"));
        Files.createSymbolicLink(coMounted.resolve("cpuacct"), coMounted.resolve("cpu,cpuacct"));
        Files.createDirectories(coMounted.resolve("memory"));
        Files.createDirectories(coMounted.resolve("devices"));
        V1Driver co = new V1Driver(CgroupLayout.fromTree(coMounted));

        co.create(CONTAINER, Resources.none()).addProcess(4242);

        assertThat(Files.readString(coMounted.resolve("cpu,cpuacct/hawser/c0ffee/cgroup.procs"))).isEqualTo("4242");
        assertThat(Files.readString(coMounted.resolve("memory/hawser/c0ffee/cgroup.procs"))).isEqualTo("4242");
    }

    @Test
    void stats_parseTheKernelsFiles() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none().withMemory(32 * MIB).withPidsLimit(10L));
        write("memory/hawser/c0ffee/memory.usage_in_bytes", "10485760\n");
        write("memory/hawser/c0ffee/memory.max_usage_in_bytes", "20971520\n");
        write("memory/hawser/c0ffee/memory.failcnt", "3\n");
        write("memory/hawser/c0ffee/memory.stat", "cache 4096\nrss 8192\ninactive_file 1024\ntotal_cache 4096\ntotal_inactive_file 2097152\n");
        write("cpuacct/hawser/c0ffee/cpuacct.usage", "123456789\n");
        write("cpuacct/hawser/c0ffee/cpuacct.usage_percpu", "100000000 23456789 \n");
        write("cpuacct/hawser/c0ffee/cpuacct.stat", "user 7\nsystem 3\n");
        write("cpu/hawser/c0ffee/cpu.stat", "nr_periods 20\nnr_throttled 5\nthrottled_time 1500000\nnr_bursts 0\nburst_time 0\n");
        write("pids/hawser/c0ffee/pids.current", "4\n");
        write("blkio/hawser/c0ffee/blkio.throttle.io_service_bytes_recursive",
                "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n");

        CgroupStats s = cg.stats();

        assertThat(s.memory().usage()).isEqualTo(10 * MIB);
        assertThat(s.memory().usageWithoutCache()).isEqualTo(8 * MIB);
        assertThat(s.memory().maxUsage()).isEqualTo(20 * MIB);
        assertThat(s.memory().limit()).isEqualTo(32 * MIB);
        assertThat(s.memory().failcnt()).isEqualTo(3);
        assertThat(s.memory().cache()).isEqualTo(4096);
        assertThat(s.memory().stats()).containsEntry("rss", 8192L);
        assertThat(s.cpu().totalUsage()).isEqualTo(123456789);
        assertThat(s.cpu().perCpu()).containsExactly(100000000L, 23456789L);
        assertThat(s.cpu().userMode()).isEqualTo(70_000_000);
        assertThat(s.cpu().kernelMode()).isEqualTo(30_000_000);
        assertThat(s.cpu().periods()).isEqualTo(20);
        assertThat(s.cpu().throttledPeriods()).isEqualTo(5);
        assertThat(s.cpu().throttledTime()).isEqualTo(1500000);
        assertThat(s.pids()).isEqualTo(new CgroupStats.Pids(4, 10));
        assertThat(s.blkio()).contains(new CgroupStats.BlkioEntry(8, 0, "Read", 4096), new CgroupStats.BlkioEntry(8, 0, "Write", 8192));
        assertThat(s.blkio()).noneMatch(e -> e.op().equals("Total") && e.major() == 0);
        assertThat(s.blkioReadBytes()).isEqualTo(4096);
        assertThat(s.blkioWriteBytes()).isEqualTo(8192);
    }

    @Test
    void stats_unlimitedPids_reportZeroLimit() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none().withPidsLimit(0L));
        write("pids/hawser/c0ffee/pids.current", "1\n");
        write("memory/hawser/c0ffee/memory.usage_in_bytes", "1\n");
        write("memory/hawser/c0ffee/memory.limit_in_bytes", UNLIMITED);
        write("cpuacct/hawser/c0ffee/cpuacct.usage", "0\n");
        assertThat(cg.stats().pids()).isEqualTo(new CgroupStats.Pids(1, 0));
    }

    @Test
    void oomKilled_readsOomKillCount_orUnderOom() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none());
        assertThat(cg.oomKilled()).isFalse(); // no oom_control at all
        write("memory/hawser/c0ffee/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        assertThat(cg.oomKilled()).isFalse();
        write("memory/hawser/c0ffee/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        assertThat(cg.oomKilled()).isTrue();
        write("memory/hawser/c0ffee/memory.oom_control", "oom_kill_disable 0\nunder_oom 1\n"); // kernels before 4.13
        assertThat(cg.oomKilled()).isTrue();
    }

    @Test
    void pids_listTheCgroupsProcesses() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none());
        write("pids/hawser/c0ffee/cgroup.procs", "12\n34\n");
        assertThat(cg.pids()).containsExactly(12L, 34L);
    }

    @Test
    void freeze_writesFrozenToTheFreezer() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none());
        cg.freeze();
        assertThat(read("freezer/hawser/c0ffee/freezer.state")).isEqualTo("FROZEN");
        cg.thaw();
        assertThat(read("freezer/hawser/c0ffee/freezer.state")).isEqualTo("THAWED");
    }

    @Test
    void destroy_removesTheDirectoryInEveryController_andIsIdempotent() {
        Cgroup cg = driver.create(CONTAINER, Resources.none().withMemory(32 * MIB));
        cg.destroy();
        for (String c : new String[] {"memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices", "freezer"}) {
            assertThat(root.resolve(c + "/hawser/c0ffee")).as(c).doesNotExist();
            assertThat(root.resolve(c + "/hawser")).as(c + " keeps the parent").isDirectory();
        }
        assertThat(driver.exists(CONTAINER)).isFalse();
        cg.destroy();
    }
}
