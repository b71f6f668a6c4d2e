package io.hawser.agent.container;

import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes the kernel's cost of moving a process between cgroups off the start path, by paying it ahead.
 *
 * <p>Every write to a {@code cgroup.procs} file takes the kernel's global {@code cgroup_threadgroup_rwsem}
 * for writing. That percpu rwsem is normally in its fast mode for readers (every fork and exit), and the
 * first writer after a quiet while must wait for an RCU grace period to switch it (kernel/rcu/sync.c,
 * {@code rcu_sync_enter} from {@code GP_IDLE}); it switches back one grace period after the last writer.
 * Measured here: the first write 7 to 15 ms, any write in the following grace period 0.01 ms. Putting a new
 * container's init into its cgroups was that first write, the largest single step of {@code docker start}.
 *
 * <p>So when a start begins (and at create, which {@code docker run} sends a few ms earlier), {@link #kick}
 * has a background thread write the agent's own pid into the cgroup it is already in: no process moves, but
 * the rwsem switches, and by the time the shim reports the init's pid the real write finds it switched (or
 * waits only for the rest of the same grace period). It can never make a start slower: at worst the real
 * write pays the full grace period as it did before. A failing write (a read-only cgroupfs in a container)
 * turns the warm-up off. {@code docker exec} pays the same first write (the shim's command joins the
 * container's cgroups), so exec create and start kick it too.
 *
 * <p>{@link #kickAndHold} also keeps the rwsem switched for a while: execs come in bursts (a script, a
 * health check loop, the CLI's {@code exec} a few tens of ms apart), and a kick at create leaves the shim's
 * write a few ms later waiting for the rest of the grace period. Writing again every {@link #HOLD_PERIOD_MS}
 * (shorter than a grace period, so the switch back never completes) makes every exec of a burst after the
 * first find it switched. The price, only during the window: a write every 2 ms, and the host's forks and
 * exits taking the rwsem's slow (atomic) read path, as a host mounted with cgroup's {@code favordynmods}
 * option always does.
 */
public final class CgroupMoveWarmup {

    private static final Logger LOG = Logger.getLogger(CgroupMoveWarmup.class.getName());

    /** Below any grace period seen here (7–15 ms on this VM, a few ms on faster idle machines). */
    static final long HOLD_PERIOD_MS = 2;

    private final Path ownProcs;
    private final ScheduledExecutorService thread;
    private volatile boolean enabled;
    private long holdUntilNanos;
    private ScheduledFuture<?> holder;

    private CgroupMoveWarmup(Path ownProcs) {
        this.ownProcs = ownProcs;
        this.enabled = ownProcs != null;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hawser-cgroup-warmup");
            t.setDaemon(true);
            return t;
        });
    }

    /** For the agent's own cgroup on this host; a no-op when it cannot be found. */
    public static CgroupMoveWarmup forThisProcess() {
        try {
            return new CgroupMoveWarmup(ownProcs(CgroupLayout.fromProc(), Files.readString(Path.of("/proc/self/cgroup"))));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "no cgroup warm-up: " + e);
            return new CgroupMoveWarmup(null);
        }
    }

    /** Writing into {@code procs} instead of this process's own cgroup (tests). */
    static CgroupMoveWarmup forProcsFile(Path procs) {
        return new CgroupMoveWarmup(procs);
    }

    /** Whether {@link #kickAndHold} is still writing. */
    synchronized boolean holding() {
        return holder != null;
    }

    /**
     * The {@code cgroup.procs} of this process's cgroup as {@code procSelfCgroup} lists it (cgroups(7): lines
     * {@code id:controllers:path}): on v1 in the pids hierarchy (a controller whose attach does no work), on
     * v2 in the unified one ({@code 0::path}). Null when there is none.
     */
    static Path ownProcs(CgroupLayout layout, String procSelfCgroup) {
        for (String line : procSelfCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3 || !f[2].startsWith("/")) {
                continue;
            }
            Path mount = layout.version() == CgroupVersion.V2
                    ? (f[0].equals("0") && f[1].isEmpty() ? layout.unifiedRoot() : null)
                    : (java.util.List.of(f[1].split(",")).contains("pids") ? layout.v1Controllers().get("pids") : null);
            if (mount != null) {
                return mount.resolve(f[2].substring(1)).resolve("cgroup.procs");
            }
        }
        return null;
    }

    /** Starts switching the rwsem in the background; returns at once. */
    public void kick() {
        if (!enabled) {
            return;
        }
        thread.execute(this::write);
    }

    /** As {@link #kick}, then keeps the rwsem switched until {@code window} after the latest call. */
    public void kickAndHold(Duration window) {
        kick();
        synchronized (this) {
            if (!enabled) {
                return;
            }
            holdUntilNanos = System.nanoTime() + window.toNanos();
            if (holder == null) {
                holder = thread.scheduleWithFixedDelay(this::hold, HOLD_PERIOD_MS, HOLD_PERIOD_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void hold() {
        synchronized (this) {
            if (!enabled || System.nanoTime() - holdUntilNanos > 0) {
                holder.cancel(false);
                holder = null;
                return;
            }
        }
        write();
    }

    private void write() {
        try {
            Files.write(ownProcs, Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            enabled = false;
            LOG.log(Level.INFO, "cgroup warm-up off: cannot write " + ownProcs + ": " + e);
        }
    }
}
