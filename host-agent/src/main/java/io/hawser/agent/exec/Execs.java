package io.hawser.agent.exec;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.container.CgroupMoveWarmup;
import io.hawser.agent.container.Container;
import io.hawser.agent.container.ContainerRecord;
import io.hawser.agent.container.ContainerStatus;
import io.hawser.agent.container.Containers;
import io.hawser.agent.container.UserLookup;
import io.hawser.agent.events.Event;
import io.hawser.agent.events.EventSink;
import io.hawser.agent.runtime.Capability;
import io.hawser.agent.runtime.ExecSpec;
import io.hawser.agent.runtime.Namespace;
import io.hawser.agent.runtime.ShimLauncher;
import io.hawser.agent.runtime.ShimProcess;
import io.hawser.agent.runtime.TtyResize;
import io.hawser.agent.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * {@code docker exec}: exec instances (create, start, inspect, resize) and their events. The command runs
 * through {@code hawser-shim exec} (exec.c), pinned to the container's init by its start time
 * ({@link ShimLauncher#exec(ShimProcess, ExecSpec, Path, boolean)}): it joins all of the init's namespaces
 * and the container's cgroups, so it is killed with the container (its pid namespace ends with the init,
 * and a stop's SIGKILL to the cgroup reaches it). Its spec and size files live in the container's 0700 state
 * directory ({@code exec-<id>.spec}, {@code exec-<id>.winsize}) until it exits.
 */
public final class Execs {

    private static final Logger LOG = Logger.getLogger(Execs.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Threads that wait for an exec's exit, reused across execs (idle ones end after a minute). */
    private static final ExecutorService WAITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hawser-exec-wait");
        t.setDaemon(true);
        return t;
    });

    private final Containers containers;
    private final ShimLauncher launcher;
    private final Syscalls syscalls;
    private final CgroupVersion cgroupVersion;
    private final EventSink events;
    private final Clock clock;
    private final Map<String, ExecInstance> byId = new ConcurrentHashMap<>();
    /** The command's move into the container's cgroups comes a few ms after create: see CgroupMoveWarmup. */
    private final CgroupMoveWarmup warmup = CgroupMoveWarmup.forThisProcess();
    /** How long after an exec the cgroup move stays warm for the next one of a burst (CgroupMoveWarmup). */
    private static final Duration HOLD = Duration.ofSeconds(1);

    public Execs(Containers containers, ShimLauncher launcher, Syscalls syscalls, CgroupVersion cgroupVersion,
            EventSink events, Clock clock) {
        this.containers = containers;
        this.launcher = launcher;
        this.syscalls = syscalls;
        this.cgroupVersion = cgroupVersion;
        this.events = events;
        this.clock = clock;
    }

    public ExecInstance create(String containerRef, ExecConfig cfg) {
        Container c = containers.get(containerRef);
        if (cfg.cmd().isEmpty()) {
            throw AgentException.invalidArgument("No exec command specified");
        }
        if (cfg.privileged()) {
            throw AgentException.invalidArgument("privileged exec is not supported by this engine");
        }
        if (!cfg.detachKeys().isEmpty()) {
            DetachKeys.parse(cfg.detachKeys()); // refused at create, as dockerd does
        }
        checkRunning(c);
        warmup.kickAndHold(HOLD); // docker exec sends start a few ms after create: the grace period runs meanwhile
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        ExecInstance e = new ExecInstance(HexFormat.of().formatHex(raw), c.record().id(), cfg);
        byId.put(e.id(), e);
        publish(c.record(), "exec_create: " + commandLine(cfg), Map.of("execID", e.id()));
        return e;
    }

    public ExecInstance get(String id) {
        ExecInstance e = byId.get(id);
        if (e == null) {
            throw AgentException.notFound("No such exec instance: " + id);
        }
        return e;
    }

    /** dockerd's refusals (daemon/exec.go getActiveContainer). */
    private static void checkRunning(Container c) {
        ContainerStatus st = c.record().state().status();
        if (st == ContainerStatus.PAUSED) {
            throw AgentException.conflict("Container " + c.record().id() + " is paused, unpause the container before exec");
        }
        if (st == ContainerStatus.RESTARTING) {
            throw AgentException.conflict("Container " + c.record().id() + " is restarting, wait until the container is running");
        }
        if (st != ContainerStatus.RUNNING || c.shim() == null) {
            throw AgentException.conflict("Container " + c.record().id() + " is not running");
        }
    }

    /**
     * Starts the command; the returned process's stdin/stdout/stderr are its streams (with a TTY, stdout
     * carries the terminal). {@code detach}: no streams, see {@link ShimLauncher#exec(ShimProcess, ExecSpec, Path, boolean)}.
     */
    public Process start(ExecInstance e, boolean detach) {
        Container c = containers.get(e.containerId());
        e.claim();
        warmup.kickAndHold(HOLD); // a start long after its create (the API without the CLI): still ahead of the shim
        Process p;
        synchronized (c) {
            checkRunning(c);
            ContainerRecord r = c.record();
            Path dir = c.stateDir();
            String name = "exec-" + e.id().substring(0, 12);
            Path size = e.config().tty() ? dir.resolve(name + ".winsize") : null;
            try {
                if (size != null) {
                    Files.deleteIfExists(size);
                    Files.createFile(size, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
            } catch (IOException ex) {
                throw AgentException.system("create " + size, ex);
            }
            try {
                p = launcher.exec(c.shim(), spec(c, r, e.config(), size), dir.resolve(name + ".spec"), detach);
            } catch (AgentException ex) {
                // as dockerd reports runc's refusal (an unknown user...): exit code 126, the CLI's "cannot run"
                finish(e, 126);
                throw AgentException.invalidArgument("OCI runtime exec failed: exec failed: unable to start container process: "
                        + ex.getMessage() + ": unknown");
            }
            e.started(p, size);
            publish(r, "exec_start: " + commandLine(e.config()), Map.of("execID", e.id()));
        }
        // Not Process.onExit(): on a machine with fewer than 3 CPUs its handleAsync starts a new thread per
        // process; a pooled waiter costs nothing once warm. Detached execs (and clients that go away) rely on it.
        WAITERS.execute(() -> {
            try {
                finish(e, p.waitFor());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        return p;
    }

    /**
     * Waits for the command's end and records its exit code: call before closing the client's stream (the CLI
     * inspects the exec next). Returns what is left to do (the spec file removed, {@code exec_die}), to run once
     * the client has its end of stream, as dockerd reports the exit apart from closing the streams.
     */
    public Runnable awaitExit(ExecInstance e) throws InterruptedException {
        int code = e.process().waitFor();
        return e.finish(code) ? () -> cleanUp(e, code) : () -> { };
    }

    private void finish(ExecInstance e, int code) {
        if (e.finish(code)) {
            cleanUp(e, code);
        }
    }

    private void cleanUp(ExecInstance e, int code) {
        containers.find(e.containerId()).ifPresent(c -> {
            try {
                Path dir = c.stateDir();
                String name = "exec-" + e.id().substring(0, 12);
                Files.deleteIfExists(dir.resolve(name + ".spec"));
                Files.deleteIfExists(dir.resolve(name + ".winsize"));
            } catch (IOException ex) {
                LOG.fine("cleaning up after exec " + e.id() + ": " + ex.getMessage());
            }
            publish(c.record(), "exec_die", Map.of("execID", e.id(), "exitCode", Integer.toString(code)));
        });
    }

    /** {@code POST /exec/{id}/resize}. */
    public void resize(ExecInstance e, int rows, int cols) {
        if (!e.config().tty()) {
            return;
        }
        // The start endpoint launches before it answers, so the CLI's first resize finds it running; after the
        // exit there is no terminal left to size.
        if (e.running() && e.sizeFile() != null) {
            TtyResize.apply(e.sizeFile(), e.pid(), syscalls, rows, cols);
        }
    }

    /** {@code POST /containers/{id}/resize}. */
    public void resizeContainer(String containerRef, int rows, int cols) {
        Container c = containers.get(containerRef);
        ShimProcess shim = c.shim();
        if (!c.record().state().status().hasProcess() || shim == null) {
            throw AgentException.conflict("Container " + c.record().id() + " is not running");
        }
        if (c.record().config().tty()) {
            TtyResize.resize(shim, syscalls, rows, cols);
        }
    }

    private ExecSpec spec(Container c, ContainerRecord r, ExecConfig cfg, Path size) {
        String userSpec = cfg.user().isEmpty() ? r.config().user() : cfg.user();
        // the container's own /etc/passwd and /etc/group, never through a symlink (UserLookup)
        UserLookup.ExecUser user = new UserLookup(c.rootfs().allLayers()).resolve(userSpec);
        String cwd = !cfg.workingDir().isEmpty() ? cfg.workingDir()
                : r.config().workingDir().isEmpty() ? "/" : r.config().workingDir();
        Set<Namespace> ns = r.hostConfig().networkMode().equals("host")
                ? EnumSet.complementOf(EnumSet.of(Namespace.NET)) : EnumSet.allOf(Namespace.class);
        EnumSet<Capability> caps = EnumSet.copyOf(Capability.DOCKER_DEFAULTS);
        if (cgroupVersion == CgroupVersion.V2) {
            caps.remove(Capability.MKNOD); // as ContainerRunner: no v2 device filter yet (README, Security)
        }
        Cgroup cg = c.cgroup();
        List<Path> procs = cg == null ? List.of() : cg.procsFiles();
        return new ExecSpec(cfg.cmd(), ExecEnv.of(r.config(), cfg, user.home()), cwd, user.uid(), user.gid(),
                user.additionalGids(), ns, caps, true, procs, size);
    }

    /** dockerd's action suffix: entrypoint, a space, the arguments joined (so "hostname " with none). */
    static String commandLine(ExecConfig cfg) {
        return cfg.cmd().get(0) + " " + String.join(" ", cfg.cmd().subList(1, cfg.cmd().size()));
    }

    /** As the container's events (labels, name, image) plus the exec's attributes. */
    private void publish(ContainerRecord r, String action, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>(r.config().labels());
        attributes.put("name", r.name());
        attributes.put("image", r.config().image());
        attributes.putAll(extra);
        events.publish(new Event(Event.Type.CONTAINER, action, r.id(), attributes, clock.instant()));
    }
}
