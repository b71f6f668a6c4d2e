package io.hawser.agent.container;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.network.Endpoint;
import io.hawser.agent.network.Networking;
import io.hawser.agent.network.PortRequests;
import io.hawser.agent.runtime.Capability;
import io.hawser.agent.runtime.ContainerSpec;
import io.hawser.agent.runtime.ExitStatus;
import io.hawser.agent.runtime.Namespace;
import io.hawser.agent.runtime.ShimLauncher;
import io.hawser.agent.runtime.ShimProcess;
import io.hawser.agent.runtime.ShimStartException;
import io.hawser.agent.sys.SyscallException;
import io.hawser.agent.sys.Syscalls;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starting containers through the shim and everything that follows: exits (state, oom and die events,
 * cgroup and overlay cleanup), the restart policy with its backoff, auto-removal, stop, kill, pause, and
 * re-adoption after an agent restart.
 */
public final class ContainerRunner {

    private static final Logger LOG = Logger.getLogger(ContainerRunner.class.getName());
    /** dockerd's default PATH (oci.DefaultPathEnv for Linux). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** How long SIGKILLed processes may take to go before stop reports a failure. */
    static final Duration KILL_WAIT = Duration.ofSeconds(60);
    static final int DEFAULT_STOP_TIMEOUT = 10;

    private final ContainerStore store;
    private final ShimLauncher launcher;
    private final CgroupDriver cgroups;
    private final String cgroupParent;
    private final Syscalls syscalls;
    private final ContainerEvents events;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExitWatcher watcher;
    private final CgroupMoveWarmup warmup = CgroupMoveWarmup.forThisProcess();
    private final Networking network;
    private volatile Consumer<Container> autoRemove = c -> { };
    /** Volumes and mounts, once {@link Containers#useVolumes} ran. */
    private volatile ContainerMounts mounts;

    ContainerRunner(ContainerStore store, ShimLauncher launcher, CgroupDriver cgroups, String cgroupParent, Syscalls syscalls,
            ContainerEvents events, Clock clock, ScheduledExecutorService scheduler, Networking network) {
        this.network = network;
        this.store = store;
        this.launcher = launcher;
        this.cgroups = cgroups;
        this.cgroupParent = cgroupParent;
        this.syscalls = syscalls;
        this.events = events;
        this.clock = clock;
        this.scheduler = scheduler;
        this.watcher = new ExitWatcher(this::onExit, scheduler);
    }

    void useMounts(ContainerMounts m) {
        this.mounts = m;
    }

    void onAutoRemove(Consumer<Container> remover) {
        this.autoRemove = remover;
    }

    /** A start is coming (docker run sends create first): see {@link CgroupMoveWarmup}. */
    void startComing() {
        warmup.kick();
    }

    CgroupPath cgroupPath(ContainerId id) {
        return CgroupPath.of(cgroupParent, id.value());
    }

    private void update(Container c, ContainerRecord r) {
        store.save(r);
        c.setRecord(r);
    }

    /** docker start: false when already running (the API answers 304). */
    public boolean start(Container c) {
        synchronized (c) {
            awaitCleanup(c);
            ContainerStatus st = c.record().state().status();
            if (st == ContainerStatus.PAUSED) {
                throw AgentException.conflict("cannot start a paused container, try unpause instead");
            }
            if (st.hasProcess()) {
                return false;
            }
            if (st == ContainerStatus.REMOVING || st == ContainerStatus.DEAD) {
                throw AgentException.conflict("container is marked for removal and cannot be started");
            }
            cancelPendingRestart(c);
            c.lastRestartDelay = null;
            // Not saved on its own: launch saves the record with the running (or failed) state right after,
            // and a crash in between leaves the same record as a crash before this line (one fsync less).
            c.setRecord(c.record().withRestart(0, false));
            launch(c);
            return true;
        }
    }

    /** Waits (releasing the container's monitor) for the cleanup after its last exit; see onExit. */
    static void awaitCleanup(Container c) {
        try {
            if (!c.await(() -> !c.cleaning(), KILL_WAIT)) {
                throw AgentException.system("the cgroup and root of container " + c.id() + " are still being released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.system("interrupted while waiting for container " + c.id() + " to be released");
        }
    }

    /** Called holding the monitor, after awaitCleanup: status checks and launch see the same state. */
    private void launch(Container c) {
        ContainerRecord r = c.record();
        Cgroup[] cgroup = new Cgroup[1];
        boolean volumesMounted = false; // the volume mount events went out: unmount ones follow a failure
        List<AttachClient> attach = new ArrayList<>(c.takePendingAttach());
        try {
            warmup.kick(); // the init's move into its cgroups comes in a few ms: see CgroupMoveWarmup
            // network: address and published ports before anything runs (a taken port fails here), the init
            // layer's /etc/hosts and resolv.conf before the mount; the veth once the init's namespace exists
            Endpoint endpoint = network.prepare(c.id().value(), r.name(), r.hostConfig().networkMode(), PortRequests.parse(
                    r.hostConfig().portBindings(), r.hostConfig().publishAllPorts(), r.config().exposedPorts()));
            Networking.writeEtcFiles(c.rootfs().initDir().resolve("etc"), r.config().hostname(), endpoint);
            // before the shim starts: the init's mount namespace is a copy of ours at its clone(2), so a mount
            // made while the shim comes up would be missing there (tried: "executable file not found")
            c.rootfs().mount(r.hostConfig().autoRemove());
            c.rootfs().ensureWorkingDir(r.config().workingDir());
            ContainerSpec spec = withMounts(c, r, spec(c, r));
            volumesMounted = true;
            ShimProcess shim = launcher.launch(c.stateDir(), spec, pid -> {
                cgroup[0] = cgroups.create(cgroupPath(c.id()), r.hostConfig().resources());
                cgroup[0].addProcess(pid);
                network.wire(endpoint, pid);
                for (AttachClient a : List.copyOf(attach)) {
                    connect(a, c.stateDir().resolve(ShimProcess.ATTACH_SOCKET));
                    attach.remove(a);
                }
            });
            c.setRunning(shim, cgroup[0]);
            update(c, c.record().withState(c.record().state().running(shim.initPid(), clock.instant())));
            events.publish(c.record(), "start");
            watcher.watch(c, shim);
        } catch (AgentException e) {
            AgentException reported = e instanceof ShimStartException s ? startError(s, r.path()) : e;
            for (AttachClient a : attach) {
                a.cancelled(reported.getMessage());
            }
            release(c, cgroup[0]);
            if (volumesMounted) {
                mountsStopped(c);
            }
            int code = e instanceof ShimStartException s ? s.exitCode() : 128;
            ContainerRecord now = c.record();
            update(c, now.withState(now.state().exited(code, false, reported.getMessage(), clock.instant())));
            // no exit for next-exit waiters: the command never ran (the CLI cancels its wait, as with dockerd)
            if (now.hostConfig().autoRemove()) {
                autoRemove.accept(c);
            }
            throw reported;
        }
    }

    private static void connect(AttachClient a, java.nio.file.Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            a.connected(ch);
        } catch (IOException e) {
            a.cancelled("cannot connect to the container's attach socket: " + e.getMessage());
        }
    }

    /**
     * dockerd's words for a command that could not run (its errors come from runc), which the CLI maps to
     * exit status 127 ("executable file not found", "no such file or directory") or 126 ("permission denied").
     */
    static AgentException startError(ShimStartException e, String command) {
        String detail;
        if (!e.stage().equals("exec")) {
            return AgentException.system("failed to create task for container: " + e.getMessage() + ": unknown");
        } else if (e.exitCode() == 127) {
            detail = command.contains("/") ? "exec: \"" + command + "\": stat " + command + ": no such file or directory"
                    : "exec: \"" + command + "\": executable file not found in $PATH";
        } else {
            detail = "exec: \"" + command + "\": permission denied";
        }
        return AgentException.invalidArgument("failed to create task for container: failed to create shim task: "
                + "OCI runtime create failed: unable to start container process: " + detail + ": unknown");
    }

    private ContainerSpec spec(Container c, ContainerRecord r) {
        ContainerConfig cfg = r.config();
        UserLookup.ExecUser user = new UserLookup(c.rootfs().allLayers()).resolve(cfg.user());
        HostConfigCheck.LogRotation rotation = HostConfigCheck.logRotation(r.hostConfig().logConfig());
        List<String> args = new ArrayList<>();
        args.add(r.path());
        args.addAll(r.args());
        ContainerSpec.Builder b = ContainerSpec.builder(c.rootfs().mergedDir(), c.logPath(), args)
                .env(env(cfg, user.home()))
                .cwd(cfg.workingDir().isEmpty() ? "/" : cfg.workingDir())
                .user(user.uid(), user.gid())
                .additionalGids(user.additionalGids())
                .hostname(cfg.hostname())
                .tty(cfg.tty())
                .stdinOpen(cfg.openStdin())
                .logRotation(rotation.maxSize(), rotation.maxFile());
        if (r.hostConfig().networkMode().equals("host")) {
            b.namespaces(EnumSet.complementOf(EnumSet.of(Namespace.NET)));
        }
        if (cgroups.version() == CgroupVersion.V2) {
            // v2 has no devices controller and the BPF device filter is not written yet: without it a container
            // holding CAP_MKNOD could create and open host block devices (see README, Security).
            EnumSet<Capability> caps = EnumSet.copyOf(Capability.DOCKER_DEFAULTS);
            caps.remove(Capability.MKNOD);
            b.capabilities(caps);
        }
        return b.build();
    }

    /** -v, --mount, --tmpfs and --read-only (ContainerMounts: copy-up, real sources, mount events). */
    private ContainerSpec withMounts(Container c, ContainerRecord r, ContainerSpec spec) {
        List<MountPoint> points = ContainerMounts.load(c.dir());
        if (points.isEmpty() && !r.hostConfig().readonlyRootfs()) {
            return spec;
        }
        ContainerMounts m = mounts;
        if (m == null && !points.isEmpty()) {
            throw AgentException.system("volumes are not available in this engine");
        }
        return spec.toBuilder()
                .mounts(points.isEmpty() ? List.of() : m.prepare(c.id().value(), c.rootfs().mergedDir(), points))
                .readonlyRootfs(r.hostConfig().readonlyRootfs())
                .build();
    }

    /** The volume unmount events (dockerd's Cleanup: UnmountVolumes). */
    private void mountsStopped(Container c) {
        ContainerMounts m = mounts;
        if (m != null) {
            try {
                m.stopped(c.id().value(), ContainerMounts.load(c.dir()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot report the unmounts of " + c.id(), e);
            }
        }
    }

    /**
     * dockerd's environment (daemon CreateDaemonEnvironment): PATH and HOSTNAME, TERM=xterm with a TTY, then
     * the container's own entries replacing those by key; HOME from /etc/passwd when unset, as runc adds it.
     */
    static List<String> env(ContainerConfig cfg, String home) {
        Map<String, String> byKey = new LinkedHashMap<>();
        byKey.put("PATH", "PATH=" + DEFAULT_PATH);
        byKey.put("HOSTNAME", "HOSTNAME=" + cfg.hostname());
        if (cfg.tty()) {
            byKey.put("TERM", "TERM=xterm");
        }
        for (String e : cfg.env() == null ? List.<String>of() : cfg.env()) {
            if (e.indexOf('=') < 0) { // -e NAME unset on the client's side: "removed/unset" (moby ReplaceOrAppendEnvValues)
                byKey.remove(e);
                continue;
            }
            byKey.put(ConfigMerge.key(e), e);
        }
        byKey.putIfAbsent("HOME", "HOME=" + home);
        return new ArrayList<>(byKey.values());
    }

    /** After an exit or a failed start: the cgroup goes (its processes are gone), the overlay is unmounted. */
    private void release(Container c, Cgroup cgroup) {
        releaseNetwork(c);
        destroy(c, cgroup);
        unmount(c);
        c.clearRunning();
    }

    /** The address and published ports (the veth went with the init's network namespace). */
    private void releaseNetwork(Container c) {
        try {
            network.release(c.id().value());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot release the network endpoint of " + c.id(), e);
        }
    }

    private static void destroy(Container c, Cgroup cgroup) {
        if (cgroup != null) {
            try {
                cgroup.destroy();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot remove the cgroup of " + c.id(), e);
            }
        }
    }

    private static void unmount(Container c) {
        try {
            c.rootfs().unmount();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot unmount the root of " + c.id(), e);
        }
    }

    /** The watcher saw the exit file (or a dead shim). */
    void onExit(Container c) {
        boolean remove = false;
        Cgroup cg;
        synchronized (c) {
            ShimProcess shim = c.shim();
            if (shim == null) {
                return;
            }
            Optional<ExitStatus> exit = shim.exitStatus();
            int code = exit.map(ExitStatus::code).orElse(255);
            Instant at = exit.map(ExitStatus::time).orElse(clock.instant());
            String error = exit.isPresent() ? "" : "hawser-shim (pid " + shim.shimPid() + ") died without recording the exit status";
            cg = c.cgroup();
            boolean oom = false;
            if (cg != null) {
                try {
                    oom = cg.oomKilled();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot read the OOM state of " + c.id(), e);
                }
            }
            // The cgroup and the mount go after the monitor is released (below), so waiters answer first, as
            // dockerd's do (its SetStopped comes before Cleanup): the unmount syncs the upper filesystem, 1 to
            // 19 ms measured here under load. A start or removal meanwhile waits for it (awaitCleanup).
            c.clearRunning();
            releaseNetwork(c); // ports free when stop returns, as dockerd's
            c.cleaning(true);
            ContainerRecord r = c.record();
            Duration ran = r.state().startedAt() == null ? Duration.ZERO : Duration.between(r.state().startedAt(), at);
            ContainerState exited = r.state().exited(code, oom, error, at);
            boolean restart = r.hostConfig().restartPolicy().shouldRestart(code, r.restartCount(), r.hasBeenManuallyStopped());
            if (oom) {
                events.publish(r, "oom");
            }
            events.publish(r, "die", Map.of("exitCode", Integer.toString(code)));
            if (restart) {
                Duration delay = RestartPolicy.nextDelay(c.lastRestartDelay, ran);
                c.lastRestartDelay = delay;
                update(c, r.withState(exited.withStatus(ContainerStatus.RESTARTING))
                        .withRestart(r.restartCount() + 1, false));
                c.pendingRestart = scheduler.schedule(() -> restartNow(c), delay.toMillis(), TimeUnit.MILLISECONDS);
            } else if (r.hostConfig().autoRemove()) {
                // Not saved: the removal right after takes the record away (two fsyncs fewer per --rm). A
                // crash before leaves the running record; re-adoption then handles this exit again, or after
                // a power loss start-up removes the exited --rm container (Containers.open).
                c.setRecord(r.withState(exited));
                remove = true;
            } else {
                update(c, r.withState(exited));
            }
            c.exited();
        }
        try {
            unmount(c);
            mountsStopped(c);
            if (!remove) {
                destroy(c, cg);
            }
        } finally {
            c.cleaning(false);
        }
        if (remove) {
            autoRemove.accept(c);
            // after docker run --rm has its answer (a removal needs the root unmounted, not the empty cgroup
            // gone): 1 ms of rmdir(2)s across the v1 hierarchies measured here
            destroy(c, cg);
        }
    }

    private void restartNow(Container c) {
        synchronized (c) {
            awaitCleanup(c);
            c.pendingRestart = null;
            if (c.removed() || c.record().state().status() != ContainerStatus.RESTARTING) {
                return;
            }
            try {
                launch(c);
            } catch (AgentException e) {
                LOG.warning("restarting container " + c.id() + " failed: " + e.getMessage());
            }
        }
    }

    void cancelPendingRestart(Container c) {
        synchronized (c) {
            if (c.pendingRestart != null) {
                c.pendingRestart.cancel(false);
                c.pendingRestart = null;
            }
        }
    }

    /**
     * docker stop: the stop signal, then SIGKILL to every process of the cgroup after {@code timeout}
     * seconds (negative: wait forever). False when it was not running (the API answers 304).
     */
    public boolean stop(Container c, Integer timeoutSeconds, String signalName) throws InterruptedException {
        int signal;
        long timeout;
        long before;
        synchronized (c) {
            ContainerRecord r = c.record();
            ContainerStatus st = r.state().status();
            if (st == ContainerStatus.RESTARTING) {
                cancelPendingRestart(c);
                update(c, r.withState(r.state().withStatus(ContainerStatus.EXITED)).withRestart(r.restartCount(), true));
                c.exited();
                events.publish(c.record(), "stop");
                return true;
            }
            if (!st.hasProcess()) {
                return false;
            }
            signal = signalName != null && !signalName.isEmpty() ? Signals.parse(signalName) : stopSignal(r.config());
            timeout = timeoutSeconds != null ? timeoutSeconds
                    : r.config().stopTimeout() != null ? r.config().stopTimeout() : DEFAULT_STOP_TIMEOUT;
            update(c, r.withRestart(r.restartCount(), true));
            before = c.exits();
            if (st == ContainerStatus.PAUSED) {
                hardKill(c); // a frozen process cannot act on a polite signal
            } else {
                signal(c, signal);
            }
        }
        Duration wait = timeout < 0 ? Duration.ofDays(365) : Duration.ofSeconds(timeout);
        if (!c.await(() -> c.exits() > before, wait)) {
            synchronized (c) {
                if (c.exits() == before) {
                    hardKill(c);
                }
            }
            if (!c.await(() -> c.exits() > before, KILL_WAIT)) {
                throw AgentException.system("container " + c.id() + " did not exit after SIGKILL");
            }
        }
        events.publish(c.record(), "stop");
        return true;
    }

    /** docker restart: stop if running, start, then the restart event (dockerd's order). */
    public void restart(Container c, Integer timeoutSeconds, String signalName) throws InterruptedException {
        stop(c, timeoutSeconds, signalName);
        start(c);
        events.publish(c.record(), "restart");
    }

    static int stopSignal(ContainerConfig cfg) {
        return cfg.stopSignal() == null || cfg.stopSignal().isEmpty() ? Signals.SIGTERM : Signals.parse(cfg.stopSignal());
    }

    /** docker kill; dockerd's 409 when it does not run. Killing marks the container manually stopped. */
    public void kill(Container c, String signalName) {
        int signal = signalName == null || signalName.isEmpty() ? Signals.SIGKILL : Signals.parse(signalName);
        synchronized (c) {
            ContainerRecord r = c.record();
            if (!r.state().status().hasProcess()) {
                throw AgentException.conflict("Container " + c.id() + " is not running");
            }
            update(c, r.withRestart(r.restartCount(), true));
            signal(c, signal);
        }
    }

    /** For rm -f: SIGKILL everything and wait for the exit to be handled. */
    void killForRemoval(Container c) throws InterruptedException {
        long before;
        synchronized (c) {
            cancelPendingRestart(c);
            ContainerRecord r = c.record();
            if (!r.state().status().hasProcess()) {
                return;
            }
            update(c, r.withRestart(r.restartCount(), true));
            before = c.exits();
            hardKill(c);
        }
        if (!c.await(() -> c.exits() > before, KILL_WAIT)) {
            throw AgentException.system("container " + c.id() + " did not exit after SIGKILL");
        }
    }

    private void signal(Container c, int signal) {
        ShimProcess shim = c.shim();
        if (shim == null) {
            return;
        }
        events.publish(c.record(), "kill", Map.of("signal", Integer.toString(signal)));
        try {
            syscalls.kill(shim.initPid(), signal);
        } catch (SyscallException e) {
            if (e.errno() != Syscalls.ESRCH) {
                throw e;
            }
        }
    }

    private void hardKill(Container c) {
        Cgroup cg = c.cgroup();
        if (cg == null) {
            signal(c, Signals.SIGKILL);
            return;
        }
        events.publish(c.record(), "kill", Map.of("signal", Integer.toString(Signals.SIGKILL)));
        cg.killAll();
    }

    public void pause(Container c) {
        synchronized (c) {
            ContainerRecord r = c.record();
            if (r.state().status() == ContainerStatus.PAUSED) {
                throw AgentException.conflict("Container " + c.id() + " is already paused");
            }
            if (r.state().status() != ContainerStatus.RUNNING || c.cgroup() == null) {
                throw AgentException.conflict("Container " + c.id() + " is not running");
            }
            c.cgroup().freeze();
            update(c, r.withState(r.state().to(ContainerStatus.PAUSED)));
            events.publish(c.record(), "pause");
        }
    }

    public void unpause(Container c) {
        synchronized (c) {
            ContainerRecord r = c.record();
            if (r.state().status() != ContainerStatus.PAUSED || c.cgroup() == null) {
                throw AgentException.conflict("Container " + c.id() + " is not paused");
            }
            c.cgroup().thaw();
            update(c, r.withState(r.state().to(ContainerStatus.RUNNING)));
            events.publish(c.record(), "unpause");
        }
    }

    /** Attach now if it runs, else when it next starts. */
    public void attach(Container c, AttachClient client) {
        synchronized (c) {
            events.publish(c.record(), "attach");
            ShimProcess shim = c.shim();
            if (shim != null && c.record().state().status().hasProcess()) {
                connect(client, shim.attachSocket());
            } else {
                c.addPendingAttach(client);
            }
        }
    }

    /**
     * After an agent restart: running containers get their shim and cgroup back and are watched again (one
     * that exited meanwhile is then handled at once, as any exit); a container whose shim is gone without an
     * exit file is recorded as exited with an error; leftovers of a crash (mounts, cgroups) are removed.
     */
    void adopt(Container c) {
        synchronized (c) {
            ContainerRecord r = c.record();
            ContainerStatus st = r.state().status();
            CgroupPath path = cgroupPath(c.id());
            Cgroup cg = cgroups.exists(path) ? cgroups.open(path) : null;
            if (st.hasProcess()) {
                Optional<ShimProcess> shim = ShimProcess.find(c.stateDir());
                if (shim.isPresent() && (shim.get().exitStatus().isPresent() || shim.get().isShimAlive())) {
                    c.setRunning(shim.get(), cg);
                    watcher.watch(c, shim.get());
                    return;
                }
                if (cg != null) {
                    cg.killAll();
                }
                release(c, cg);
                String error = "the container's shim was gone when the agent restarted; exit status unknown";
                update(c, r.withState(r.state().exited(255, false, error, clock.instant())));
                events.publish(c.record(), "die", Map.of("exitCode", "255"));
                c.exited();
                startWithAgent(c);
                return;
            }
            release(c, cg);
            if (st == ContainerStatus.RESTARTING) {
                c.pendingRestart = scheduler.schedule(() -> restartNow(c), RestartPolicy.FIRST_DELAY.toMillis(),
                        TimeUnit.MILLISECONDS);
            } else if (st == ContainerStatus.EXITED) {
                startWithAgent(c);
            }
        }
    }

    /** dockerd starts the restart-policy containers that are down when it starts: off the start-up thread. */
    private void startWithAgent(Container c) {
        ContainerRecord r = c.record();
        if (r.hostConfig().restartPolicy().startsWithAgent(r.state().exitCode(), r.restartCount(), r.hasBeenManuallyStopped())) {
            scheduler.execute(() -> {
                try {
                    start(c);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "starting container " + c.id() + " with the agent failed", e);
                }
            });
        }
    }
}
