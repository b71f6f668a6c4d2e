package io.hawser.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hawser.agent.cgroups.detect.CgroupDrivers;
import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detected driver (v1 on this machine) on the real kernel, under a parent cgroup unique to the run.
 * Each process starts blocked on {@code read} until it has been moved into its cgroup, so everything it
 * does (allocate, fork) is accounted there.
 */
class CgroupsIT {

    private static final long MIB = 1024 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private CgroupDriver driver;
    private CgroupLayout layout;
    private String parent;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void detect() throws Exception {
        assumeTrue(isRoot(), "creating cgroups needs root");
        layout = CgroupLayout.fromProc();
        driver = CgroupDrivers.forLayout(layout);
        parent = "hawser-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    @AfterEach
    void cleanUp() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (driver != null && parent != null && driver.exists(CgroupPath.parse(parent))) {
            Cgroup all = driver.open(CgroupPath.parse(parent));
            all.killAll();
            all.destroy();
        }
        assertThat(driver == null || !driver.exists(CgroupPath.parse(parent))).as("parent cgroup removed").isTrue();
    }

    private static boolean isRoot() throws IOException {
        return Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
    }

    /** Starts {@code sh -c 'read x; <script>'}: it waits on stdin until {@link #release}. */
    private Process startBlocked(String script, String name) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "read x; " + script)
                .redirectOutput(tmp.resolve(name + ".out").toFile())
                .redirectError(tmp.resolve(name + ".err").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private static void release(Process p) throws IOException {
        try (OutputStream in = p.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void memoryHog_isOomKilled_andReportedAsSuch() throws Exception {
        Cgroup cg = driver.create(CgroupPath.of(parent, "oom"), Resources.none().withMemory(32 * MIB).withDockerDefaults());
        // tail keeps the last line in memory, and 200 MiB of zeros has no newline.
        Process hog = startBlocked("head -c 209715200 /dev/zero | tail", "hog");
        cg.addProcess(hog.pid());
        assertThat(cg.pids()).containsExactly(hog.pid());
        assertThat(cg.oomKilled()).isFalse();

        release(hog);

        assertThat(hog.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("hog ended").isTrue();
        assertThat(hog.exitValue()).as("sh reports tail's SIGKILL as 128+9").isEqualTo(137);
        assertThat(cg.oomKilled()).isTrue();
        assertThat(cg.stats().memory().limit()).isEqualTo(32 * MIB);
        cg.destroy();
        assertThat(driver.exists(cg.path())).isFalse();
    }

    @Test
    void pidsLimit_stopsForksBeyondIt_andKillAllEmptiesTheCgroup() throws Exception {
        Cgroup cg = driver.create(CgroupPath.of(parent, "pids"), Resources.none().withPidsLimit(8L));
        Process forker = startBlocked("i=0; while [ $i -lt 20 ]; do sleep 1000 & i=$((i+1)); done; wait", "forker");
        cg.addProcess(forker.pid());

        release(forker);

        assertThat(forker.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the shell gave up").isTrue();
        assertThat(forker.exitValue()).isNotZero();
        assertThat(Files.readString(tmp.resolve("forker.err"))).contains("fork");
        // The shell counted as one of the 8 while it forked 7 sleeps; the 8th fork failed with EAGAIN.
        assertThat(cg.pids()).hasSize(7);
        assertThat(cg.stats().pids()).isEqualTo(new CgroupStats.Pids(7, 8));

        cg.killAll();

        assertThat(cg.pids()).isEmpty();
        cg.destroy();
        assertThat(driver.exists(cg.path())).isFalse();
    }

    @Test
    void halfACpu_setsTheCfsQuota() throws Exception {
        CgroupPath path = CgroupPath.of(parent, "cpu");
        driver.create(path, Resources.none().withNanoCpus(500_000_000).withCpuShares(512));
        if (layout.version() == CgroupVersion.V1) {
            Path dir = path.under(layout.v1Controllers().get("cpu"));
            assertThat(Files.readString(dir.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("50000");
            assertThat(Files.readString(dir.resolve("cpu.cfs_period_us")).strip()).isEqualTo("100000");
            assertThat(Files.readString(dir.resolve("cpu.shares")).strip()).isEqualTo("512");
        } else {
            Path dir = path.under(layout.unifiedRoot());
            assertThat(Files.readString(dir.resolve("cpu.max")).strip()).isEqualTo("50000 100000");
            assertThat(Files.readString(dir.resolve("cpu.weight")).strip()).isEqualTo("20");
        }
    }

    @Test
    void runningProcess_showsUpInStats() throws Exception {
        Cgroup cg = driver.create(CgroupPath.of(parent, "stats"), Resources.none().withMemory(64 * MIB).withPidsLimit(16L));
        // Block I/O is not asserted: this kernel keeps v1 blkio byte counters only for devices with a
        // throttle rule (see BlkioV1), so they read zero here.
        Process worker = startBlocked("i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; sleep 1000", "worker");
        cg.addProcess(worker.pid());
        release(worker);

        boolean busy = CgroupFiles.await(() -> {
            CgroupStats s = cg.stats();
            return s.cpu().totalUsage() > 0 && s.memory().usage() > 0;
        }, DEADLINE);

        CgroupStats s = cg.stats();
        assertThat(busy).as("cpu and memory accounted: " + s).isTrue();
        assertThat(s.pids().current()).isBetween(1L, 16L);
        assertThat(s.pids().limit()).isEqualTo(16);
        assertThat(s.memory().limit()).isEqualTo(64 * MIB);
        assertThat(cg.pids()).contains(worker.pid());
        assertThat(cg.oomKilled()).isFalse();
        if (layout.version() == CgroupVersion.V1) {
            assertThat(s.cpu().perCpu()).hasSize(SystemCpu.read().onlineCpus());
        }
    }

    @Test
    void destroy_whileAProcessRemains_failsNamingIt_thenSucceedsAfterKill() throws Exception {
        Cgroup cg = driver.create(CgroupPath.of(parent, "busy"), Resources.none());
        Process sleeper = startBlocked("sleep 1000", "sleeper");
        cg.addProcess(sleeper.pid());
        release(sleeper);

        // Waits out CgroupProcesses.DRAIN_TIMEOUT (10 s) before giving up.
        assertThatThrownBy(cg::destroy).isInstanceOf(AgentException.class)
                .hasMessageContaining("Device or resource busy")
                .hasMessageContaining(Long.toString(sleeper.pid()));
        assertThat(driver.exists(cg.path())).isTrue();

        cg.killAll();
        cg.destroy();
        assertThat(driver.exists(cg.path())).isFalse();
    }
}
