package io.hawser.agent.cgroups;

import java.util.List;

/**
 * One container's cgroup, in every controller it needs (v1) or its one directory (v2). Obtained from
 * {@link CgroupDriver#create} or, after an agent restart, {@link CgroupDriver#open}. All methods throw
 * {@code AgentException} (kind SYSTEM) naming the file and the kernel's reason when the host fails them.
 */
public interface Cgroup {

    /** The path below the hierarchy roots, e.g. {@code hawser/<container id>}. */
    CgroupPath path();

    /** Moves a process (all its threads) into the cgroup; its later children are born there. */
    void addProcess(long pid);

    /** Writes the limits that are set in {@code resources}; unset fields leave the current value alone. */
    void update(Resources resources);

    CgroupStats stats();

    /** True when the kernel's OOM killer has killed a process of this cgroup (or is handling an OOM now). */
    boolean oomKilled();

    /**
     * The {@code cgroup.procs} files a process writes "0" into to join this cgroup itself (cgroups(7)): one per
     * distinct v1 hierarchy, the one file on v2. {@code docker exec} joins through these (the shim's cgroup key).
     */
    List<java.nio.file.Path> procsFiles();

    /** Processes (thread group ids) in the cgroup and below it, for {@code docker top}. */
    List<Long> pids();

    /** Stops every process of the cgroup until {@link #thaw()}; returns once the kernel reports them frozen. */
    void freeze();

    void thaw();

    /** SIGKILLs every process of the cgroup (frozen first, so none can fork meanwhile) and waits until it is empty. */
    void killAll();

    /**
     * Removes the cgroup's directories. The kernel refuses while processes remain; this retries while they
     * drain (for example just after a kill) and then fails naming the remaining pids. A missing directory
     * is not an error, so destroy is idempotent.
     */
    void destroy();
}
