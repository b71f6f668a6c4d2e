package io.hawser.agent.cgroups;

import io.hawser.agent.common.AgentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Killing a cgroup's processes and removing its directories, the same on v1 and v2. */
public final class CgroupProcesses {

    /** How long destroy waits for processes to drain (a SIGKILLed task exits quickly, but not instantly). */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private CgroupProcesses() {}

    /** SIGKILL to each pid that still exists; a pid that exited meanwhile is fine. */
    public static void sigkill(List<Long> pids) {
        for (long pid : pids) {
            // kill(2) with SIGKILL; ProcessHandle checks the start time, so a recycled pid is not hit.
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Waits until {@code pids} reports none, or fails naming who is left. */
    public static void awaitEmpty(CgroupPath path, Supplier<List<Long>> pids) {
        if (!CgroupFiles.await(() -> pids.get().isEmpty(), DRAIN_TIMEOUT)) {
            throw AgentException.system("cgroup " + path + " still has processes " + pids.get() + " after "
                    + DRAIN_TIMEOUT.toSeconds() + " s");
        }
    }

    /**
     * Removes each directory tree bottom-up, retrying while the kernel says EBUSY (processes draining),
     * then fails with the pids that keep it busy.
     */
    public static void removeDirs(CgroupPath path, List<Path> dirs, Supplier<List<Long>> pids) {
        for (Path top : dirs) {
            for (Path dir : CgroupFiles.subtreeBottomUp(top)) {
                if (!CgroupFiles.await(() -> CgroupFiles.tryRmdir(dir), DRAIN_TIMEOUT)) {
                    throw AgentException.system("remove cgroup " + dir + " failed: Device or resource busy (processes "
                            + pids.get() + " remain in " + path + ")");
                }
            }
        }
    }
}
