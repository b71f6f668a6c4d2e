package io.hawser.agent.container;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.runtime.ShimProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One container as the agent holds it at run time: the persisted {@link ContainerRecord} plus what only
 * exists while it runs (shim, cgroup), waiters and pending attach clients. Every change happens while
 * holding this object's monitor; waiters use {@code wait()}/{@code notifyAll()} on it.
 */
public final class Container {

    private final ContainerId id;
    private final Path dir;
    private final Path stateDir;
    private final ContainerRootfs rootfs;
    private ContainerRecord record;
    private ShimProcess shim;
    private Cgroup cgroup;
    /** Counts exits: {@code wait?condition=next-exit} waits for it to move. */
    private long exits;
    private boolean removed;
    /** Between an exit and the release of its cgroup and mount (done outside the monitor). */
    private boolean cleaning;
    private final List<AttachClient> pendingAttach = new ArrayList<>();
    /** The backoff used before the last policy restart; null after a manual start. */
    Duration lastRestartDelay;
    ScheduledFuture<?> pendingRestart;

    Container(ContainerRecord record, Path dir, Path stateDir, ContainerRootfs rootfs) {
        this.id = record.containerId();
        this.record = record;
        this.dir = dir;
        this.stateDir = stateDir;
        this.rootfs = rootfs;
    }

    public ContainerId id() { return id; }
    public Path dir() { return dir; }
    /** The shim's state directory (short: unix socket paths live in it). */
    public Path stateDir() { return stateDir; }
    public ContainerRootfs rootfs() { return rootfs; }
    public synchronized ContainerRecord record() { return record; }
    public synchronized ShimProcess shim() { return shim; }
    public synchronized Cgroup cgroup() { return cgroup; }
    public synchronized boolean removed() { return removed; }
    synchronized long exits() { return exits; }

    /** {@code <dir>/<id>-json.log}, dockerd's LogPath. */
    public Path logPath() {
        return dir.resolve(id + "-json.log");
    }

    public String name() {
        return record().name();
    }

    synchronized void setRecord(ContainerRecord r) {
        this.record = r;
        notifyAll();
    }

    synchronized void setRunning(ShimProcess s, Cgroup cg) {
        this.shim = s;
        this.cgroup = cg;
    }

    synchronized void clearRunning() {
        this.shim = null;
        this.cgroup = null;
    }

    synchronized void exited() {
        exits++;
        notifyAll();
    }

    synchronized boolean cleaning() {
        return cleaning;
    }

    synchronized void cleaning(boolean on) {
        cleaning = on;
        notifyAll();
    }

    synchronized void markRemoved() {
        removed = true;
        notifyAll();
    }

    synchronized void addPendingAttach(AttachClient c) {
        pendingAttach.add(c);
    }

    synchronized List<AttachClient> takePendingAttach() {
        List<AttachClient> out = List.copyOf(pendingAttach);
        pendingAttach.clear();
        return out;
    }

    /** Waits (releasing the monitor) until {@code done} holds or the deadline passes; true if it holds. */
    synchronized boolean await(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
