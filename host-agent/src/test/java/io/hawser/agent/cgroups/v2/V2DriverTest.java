package io.hawser.agent.cgroups.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupStats;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v2 driver against a temp dir laid out like /sys/fs/cgroup on a pure v2 host. */
class V2DriverTest {

    private static final long MIB = 1024 * 1024;
    private static final CgroupPath CONTAINER = CgroupPath.of("hawser", "c0ffee");

    @TempDir
    Path root;

    private V2Driver driver;

    @BeforeEach
    void layOutCgroupfs() throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "memory\n");
        driver = new V2Driver(CgroupLayout.fromTree(root));
    }

    private String read(String file) throws IOException {
        return Files.readString(root.resolve(file)).strip();
    }

    private void write(String file, String content) throws IOException {
        Files.createDirectories(root.resolve(file).getParent());
        Files.writeString(root.resolve(file), content);
    }

    @Test
    void create_enablesControllersOnEveryAncestor_thatAreNotYetEnabled() throws IOException {
        driver.create(CONTAINER, Resources.none());
        assertThat(root.resolve("hawser/c0ffee")).isDirectory();
        assertThat(read("cgroup.subtree_control")).isEqualTo("+cpuset +cpu +io +pids"); // memory was already on
        assertThat(read("hawser/cgroup.subtree_control")).isEqualTo("+cpuset +cpu +io +memory +pids");
        assertThat(root.resolve("hawser/c0ffee/cgroup.subtree_control")).doesNotExist(); // a leaf enables nothing
    }

    @Test
    void create_writesLimitsInV2Syntax() throws IOException {
        driver.create(CONTAINER, Resources.none().withMemory(32 * MIB).withNanoCpus(500_000_000).withCpuShares(1024).withPidsLimit(32L));
        assertThat(read("hawser/c0ffee/memory.max")).isEqualTo("33554432");
        assertThat(read("hawser/c0ffee/cpu.max")).isEqualTo("50000 100000");
        assertThat(read("hawser/c0ffee/cpu.weight")).isEqualTo("39");
        assertThat(read("hawser/c0ffee/pids.max")).isEqualTo("32");
    }

    @Test
    void create_unlimitedValues_writeMax() throws IOException {
        driver.create(CONTAINER, Resources.none().withMemory(-1).withCpuQuota(-1).withCpuPeriod(50_000).withPidsLimit(0L));
        assertThat(read("hawser/c0ffee/memory.max")).isEqualTo("max");
        assertThat(read("hawser/c0ffee/cpu.max")).isEqualTo("max 50000");
        assertThat(read("hawser/c0ffee/pids.max")).isEqualTo("max");
    }

    @Test
    void create_withSwapAccounting_writesSwapAlone() throws IOException {
        write("hawser/c0ffee/memory.swap.max", "max\n");
        driver.create(CONTAINER, Resources.none().withMemory(32 * MIB).withDockerDefaults());
        assertThat(read("hawser/c0ffee/memory.swap.max")).isEqualTo(Long.toString(32 * MIB)); // 64 MiB total - 32 MiB memory
    }

    @Test
    void swapLimit_convertsDockersTotal() {
        assertThat(MemoryV2.swapLimit(0, 32)).isZero();
        assertThat(MemoryV2.swapLimit(-1, 32)).isEqualTo(-1);
        assertThat(MemoryV2.swapLimit(32, 32)).isZero();
        assertThat(MemoryV2.swapLimit(100, 32)).isEqualTo(68);
        assertThatThrownBy(() -> MemoryV2.swapLimit(100, 0)).isInstanceOf(AgentException.class)
                .hasMessage("unable to set swap limit without memory limit");
    }

    @Test
    void addProcess_writesCgroupProcs() throws IOException {
        driver.create(CONTAINER, Resources.none()).addProcess(4242);
        assertThat(read("hawser/c0ffee/cgroup.procs")).isEqualTo("4242");
    }

    @Test
    void stats_parseTheKernelsFiles() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none().withMemory(32 * MIB).withPidsLimit(10L));
        write("hawser/c0ffee/memory.current", "10485760\n");
        write("hawser/c0ffee/memory.peak", "20971520\n");
        write("hawser/c0ffee/memory.stat", "anon 8388608\nfile 4096\ninactive_file 2097152\nactive_file 0\n");
        write("hawser/c0ffee/memory.events", "low 0\nhigh 0\nmax 7\noom 1\noom_kill 0\noom_group_kill 0\n");
        write("hawser/c0ffee/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 20\nnr_throttled 5\nthrottled_usec 300\n");
        write("hawser/c0ffee/pids.current", "4\n");
        write("hawser/c0ffee/io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=1 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");

        CgroupStats s = cg.stats();

        assertThat(s.memory().usage()).isEqualTo(10 * MIB);
        assertThat(s.memory().usageWithoutCache()).isEqualTo(8 * MIB);
        assertThat(s.memory().maxUsage()).isEqualTo(20 * MIB);
        assertThat(s.memory().limit()).isEqualTo(32 * MIB);
        assertThat(s.memory().failcnt()).isEqualTo(7);
        assertThat(s.memory().cache()).isEqualTo(4096);
        assertThat(s.cpu().totalUsage()).isEqualTo(1_500_000);
        assertThat(s.cpu().perCpu()).isEmpty();
        assertThat(s.cpu().userMode()).isEqualTo(1_000_000);
        assertThat(s.cpu().kernelMode()).isEqualTo(500_000);
        assertThat(s.cpu().throttledPeriods()).isEqualTo(5);
        assertThat(s.cpu().throttledTime()).isEqualTo(300_000);
        assertThat(s.pids()).isEqualTo(new CgroupStats.Pids(4, 10));
        assertThat(s.blkio()).containsExactly(new CgroupStats.BlkioEntry(8, 0, "read", 4096), new CgroupStats.BlkioEntry(8, 0, "write", 8192),
                new CgroupStats.BlkioEntry(8, 16, "read", 1), new CgroupStats.BlkioEntry(8, 16, "write", 0));
        assertThat(s.blkioReadBytes()).isEqualTo(4097);
    }

    @Test
    void stats_unlimitedMemory_isMaxValue() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none().withMemory(-1));
        write("hawser/c0ffee/memory.current", "1\n");
        assertThat(cg.stats().memory().limit()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void oomKilled_readsMemoryEvents() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none());
        assertThat(cg.oomKilled()).isFalse();
        write("hawser/c0ffee/memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\n");
        assertThat(cg.oomKilled()).as("hitting max is not a kill").isFalse();
        write("hawser/c0ffee/memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
        assertThat(cg.oomKilled()).isTrue();
    }

    @Test
    void pids_includeNestedCgroups() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none());
        write("hawser/c0ffee/cgroup.procs", "12\n");
        write("hawser/c0ffee/inner/cgroup.procs", "34\n56\n");
        assertThat(cg.pids()).containsExactlyInAnyOrder(12L, 34L, 56L);
    }

    @Test
    void freeze_writesCgroupFreeze_andWaitsForTheEvent() throws IOException {
        Cgroup cg = driver.create(CONTAINER, Resources.none());
        write("hawser/c0ffee/cgroup.events", "populated 1\nfrozen 1\n");
        cg.freeze();
        assertThat(read("hawser/c0ffee/cgroup.freeze")).isEqualTo("1");
    }

    @Test
    void destroy_removesTheDirectory_keepsTheParent() {
        Cgroup cg = driver.create(CONTAINER, Resources.none().withMemory(32 * MIB));
        cg.destroy();
        assertThat(root.resolve("hawser/c0ffee")).doesNotExist();
        assertThat(root.resolve("hawser")).isDirectory();
        assertThat(driver.exists(CONTAINER)).isFalse();
    }
}
