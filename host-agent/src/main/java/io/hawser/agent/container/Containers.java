package io.hawser.agent.container;

import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.events.EventSink;
import io.hawser.agent.image.Image;
import io.hawser.agent.image.ImageId;
import io.hawser.agent.image.ImageStore;
import io.hawser.agent.image.ImageUsage;
import io.hawser.agent.logs.ContainerLogs;
import io.hawser.agent.logs.LogSource;
import io.hawser.agent.network.Networking;
import io.hawser.agent.runtime.ShimLauncher;
import io.hawser.agent.sys.Syscalls;
import io.hawser.agent.volume.Volumes;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container subsystem's entry point: create, remove, rename, wait, lookups, and the views other parts
 * need (logs, image usage); running is {@link #runner()}. State lives under {@code <data-root>/containers/},
 * shim state directories under the short run directory ({@code <run-dir>/<short id>}).
 */
public final class Containers implements ImageUsage {

    private static final Logger LOG = Logger.getLogger(Containers.class.getName());
    /** The image's snapshot directories, top first, one per line. */
    static final String LAYERS_FILE = "layers";

    /** The conditions of {@code POST /containers/{id}/wait}. */
    public enum WaitCondition { NOT_RUNNING, NEXT_EXIT, REMOVED;
        public static WaitCondition parse(String v) {
            return switch (v == null ? "" : v) {
                case "", "not-running" -> NOT_RUNNING;
                case "next-exit" -> NEXT_EXIT;
                case "removed" -> REMOVED;
                default -> throw AgentException.invalidArgument("invalid condition: \"" + v + "\"");
            };
        }
    }

    /** What create answers. */
    public record Created(String id, List<String> warnings) {}

    private final ContainerStore store;
    private final ImageStore images;
    private final Path runDir;
    private final Syscalls syscalls;
    private final ContainerEvents events;
    private final Clock clock;
    private final ContainerRunner runner;
    private final int onlineCpus;
    private final Trash trash;
    /** Null when opened without volumes: a container with mounts is then refused. */
    private volatile ContainerMounts mounts;
    private final Networking networking;

    private Containers(ContainerStore store, ImageStore images, Path runDir, Syscalls syscalls, ContainerEvents events,
            Clock clock, ContainerRunner runner, int onlineCpus, Trash trash, Networking networking) {
        this.networking = networking;
        this.store = store;
        this.images = images;
        this.runDir = runDir;
        this.syscalls = syscalls;
        this.events = events;
        this.clock = clock;
        this.runner = runner;
        this.onlineCpus = onlineCpus;
        this.trash = trash;
        runner.onAutoRemove(c -> {
            try {
                remove(c, true, false, true); // --rm takes the anonymous volumes along, as dockerd's
            } catch (RuntimeException | InterruptedException e) {
                LOG.log(Level.WARNING, "auto-removing container " + c.id() + " failed", e);
            }
        });
    }

    /** Loads the stored containers and re-adopts the running ones; without volumes, mounts are refused. */
    public static Containers open(Path dataRoot, Path runDir, ImageStore images, CgroupDriver cgroups, String cgroupParent,
            ShimLauncher launcher, Syscalls syscalls, EventSink sink, Clock clock, int onlineCpus, Networking networking) {
        return open(dataRoot, runDir, images, cgroups, cgroupParent, launcher, syscalls, sink, clock, onlineCpus, networking,
                null);
    }

    /**
     * As above, with the volumes -v, --mount, --tmpfs and VOLUME use (set before re-adoption: a restart policy
     * may start a container with volumes at once); the stored containers reference their volumes again.
     */
    public static Containers open(Path dataRoot, Path runDir, ImageStore images, CgroupDriver cgroups, String cgroupParent,
            ShimLauncher launcher, Syscalls syscalls, EventSink sink, Clock clock, int onlineCpus, Networking networking,
            Volumes volumes) {
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw AgentException.system("create run directory " + runDir, e);
        }
        ContainerStore store = new ContainerStore(dataRoot.resolve("containers"));
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "hawser-containers");
            t.setDaemon(true);
            return t;
        });
        ContainerEvents events = new ContainerEvents(sink, clock);
        ContainerRunner runner = new ContainerRunner(store, launcher, cgroups, cgroupParent, syscalls, events, clock, scheduler,
                networking);
        Trash trash = new Trash(scheduler);
        trash.sweep(store.root());
        trash.sweep(runDir);
        Containers containers = new Containers(store, images, runDir, syscalls, events, clock, runner, onlineCpus, trash,
                networking);
        if (volumes != null) {
            containers.mounts = new ContainerMounts(volumes);
            runner.useMounts(containers.mounts);
        }
        for (ContainerRecord r : store.loadRecords()) {
            Container c = containers.instance(r);
            store.add(c);
            if (containers.mounts != null) {
                containers.mounts.reference(c.id().value(), ContainerMounts.load(c.dir()));
            }
            if (r.state().status() == ContainerStatus.REMOVING) {
                containers.finishRemoval(c);
            } else {
                try {
                    runner.adopt(c);
                    if (c.record().hostConfig().autoRemove() && c.record().state().status() == ContainerStatus.EXITED) {
                        containers.remove(c, false, false, true); // as dockerd's restore does for --rm containers
                    }
                } catch (RuntimeException | InterruptedException e) {
                    LOG.log(Level.WARNING, "re-adopting container " + r.id() + " failed", e);
                }
            }
        }
        // published ports of the re-adopted containers bound again; endpoints of the others were leftovers
        networking.adoptOnly(store.list().stream().filter(c -> c.shim() != null).map(c -> c.id().value())
                .collect(java.util.stream.Collectors.toSet()));
        return containers;
    }

    private Container instance(ContainerRecord r) {
        Path dir = store.root().resolve(r.id());
        // The layers are recorded at create: a forced rmi keeps the snapshots of images containers use.
        Path recorded = dir.resolve(LAYERS_FILE);
        List<Path> layers;
        try {
            layers = Files.isRegularFile(recorded) ? Files.readAllLines(recorded).stream().map(Path::of).toList()
                    : images.find(r.imageId()).map(i -> images.snapshotDirs(i.id())).orElse(List.of());
        } catch (IOException e) {
            throw AgentException.system("read " + recorded, e);
        }
        return new Container(r, dir, runDir.resolve(r.containerId().shortId()), new ContainerRootfs(dir, layers, syscalls));
    }

    /** For the temporary mounts of docker cp and export. */
    Syscalls syscalls() {
        return syscalls;
    }

    /** For operations in this package that publish container events of their own (commit). */
    ContainerEvents events() {
        return events;
    }

    /** Endpoints (addresses, published ports) for inspect, ps and the network endpoints. */
    public Networking networking() {
        return networking;
    }

    public ContainerRunner runner() {
        return runner;
    }

    public Optional<Container> find(String idOrName) {
        return store.find(idOrName);
    }

    public Container get(String idOrName) {
        return store.get(idOrName);
    }

    public List<Container> list() {
        return store.list();
    }

    /** docker create: the image's config merged in, limits checked, the root prepared; nothing runs yet. */
    public Created create(String name, ContainerConfig config, HostConfig hostConfig) {
        if (config.image().isEmpty()) {
            throw AgentException.invalidArgument("No image specified");
        }
        Image image = images.get(config.image());
        List<String> warnings = HostConfigCheck.check(hostConfig, config);
        Resources resources = hostConfig.resources().withDockerDefaults();
        resources.validate(onlineCpus, false);
        if (!config.workingDir().isEmpty() && !config.workingDir().startsWith("/")) {
            throw AgentException.invalidArgument("the working directory '" + config.workingDir() + "' is invalid, it needs to be an absolute path");
        }
        ContainerId id;
        do {
            id = ContainerId.random();
        } while (store.idPrefixInUse(id.shortId()));
        ConfigMerge.Merged merged = ConfigMerge.merge(config, image.config().config(), id.shortId());
        List<MountPoint> parsedMounts = MountSpecs.parse(hostConfig, config.volumes(), image.config().config().volumes());
        ContainerMounts volumes = mounts;
        if (volumes == null && !parsedMounts.isEmpty()) {
            throw AgentException.invalidArgument("mounts and volumes are not available in this engine");
        }
        List<MountPoint> madeMounts = List.of();
        String finalName = name == null || name.isEmpty() ? ContainerNames.generate(store::nameInUse) : ContainerNames.validate(name);
        ContainerRecord r = new ContainerRecord(id.value(), clock.instant(), finalName, image.id().toString(), merged.path(),
                merged.args(), merged.config(), hostConfig.withResources(resources), ContainerState.created(), 0, false);
        Container c = instance(r);
        store.add(c); // 409 when the name is taken
        try {
            Files.createDirectories(c.dir());
            if (!parsedMounts.isEmpty()) {
                madeMounts = volumes.create(id.value(), parsedMounts);
                ContainerMounts.save(c.dir(), madeMounts);
            }
            c.rootfs().create(merged.config().hostname());
            Files.write(c.dir().resolve(LAYERS_FILE), c.rootfs().imageLayers().stream().map(Path::toString).toList());
            store.save(r);
        } catch (RuntimeException | IOException e) {
            store.remove(c);
            deleteTree(c.dir());
            if (!madeMounts.isEmpty()) {
                volumes.removed(id.value(), madeMounts, true);
            }
            throw e instanceof AgentException a ? a : AgentException.system("create container " + id, e);
        }
        events.publish(r, "create");
        runner.startComing();
        return new Created(id.value(), warnings);
    }

    /** docker rm: 409 while running unless forced; unmounts, deletes its files (Trash), publishes destroy. */
    public void remove(Container c, boolean force) throws InterruptedException {
        remove(c, force, true, false);
    }

    /** docker rm [-v]: {@code removeVolumes} also removes its anonymous volumes (named ones stay). */
    public void remove(Container c, boolean force, boolean removeVolumes) throws InterruptedException {
        remove(c, force, true, removeVolumes);
    }

    /**
     * {@code persist}: save the REMOVING status first, so that a crash before the files are gone finishes
     * the removal at the next start. Not needed for {@code --rm} after an exit (one fsync less on every
     * {@code docker run --rm}): the record on disk then still says running, or exited, and either way
     * {@link #open} removes it, the first after re-adoption has handled the exit again.
     */
    private void remove(Container c, boolean force, boolean persist, boolean removeVolumes) throws InterruptedException {
        c.record().state().status().checkRemovable(c.id().value(), force);
        if (force) {
            runner.killForRemoval(c);
        }
        synchronized (c) {
            ContainerRecord r = c.record();
            r.state().status().checkRemovable(c.id().value(), force);
            if (r.state().status().hasProcess()) {
                throw AgentException.conflict("You cannot remove a running container " + c.id()
                        + ". Stop the container before attempting removal or force remove");
            }
            runner.cancelPendingRestart(c);
            ContainerRecord removing = r.withState(r.state().withStatus(ContainerStatus.REMOVING));
            if (persist) {
                store.save(removing);
            }
            c.setRecord(removing);
        }
        finishRemoval(c, removeVolumes);
    }

    private void finishRemoval(Container c) {
        finishRemoval(c, false);
    }

    private void finishRemoval(Container c, boolean removeVolumes) {
        synchronized (c) {
            ContainerRunner.awaitCleanup(c);
            for (AttachClient a : c.takePendingAttach()) {
                a.cancelled("container removed");
            }
            List<MountPoint> mountPoints = ContainerMounts.load(c.dir()); // before the directory goes
            try {
                c.rootfs().unmount();
                if (c.rootfs().isMounted()) {
                    throw AgentException.system("the root of " + c.id() + " is still mounted");
                }
                trash.discard(c.stateDir());
                trash.discard(c.dir());
            } catch (RuntimeException e) {
                ContainerRecord r = c.record();
                ContainerRecord dead = r.withState(r.state().withStatus(ContainerStatus.DEAD));
                store.save(dead);
                c.setRecord(dead);
                throw AgentException.system("unable to remove container " + c.id() + ": " + e.getMessage());
            }
            ContainerMounts m = mounts;
            if (m != null) {
                m.removed(c.id().value(), mountPoints, removeVolumes);
            }
            store.remove(c);
            c.markRemoved();
            events.publish(c.record(), "destroy");
        }
    }

    /** docker rename; the new name follows dockerd's rules and must be free. */
    public void rename(Container c, String newName) {
        if (newName == null || newName.isEmpty()) {
            throw AgentException.invalidArgument("Neither old nor new names may be empty");
        }
        String name = ContainerNames.validate(newName);
        synchronized (c) {
            ContainerRecord r = c.record();
            if (r.name().equals(name)) {
                throw AgentException.invalidArgument("Renaming a container with the same name as its current name");
            }
            store.rename(c, r.name(), name);
            ContainerRecord renamed = r.withName(name);
            store.save(renamed);
            c.setRecord(renamed);
            events.publish(renamed, "rename", Map.of("oldName", "/" + r.name()));
        }
    }

    /** The exit counter now: a next-exit wait registered before start waits for it to move. */
    public long exitsSoFar(Container c) {
        return c.exits();
    }

    /** Blocks until {@code condition} holds; returns the state then (the exit code for the answer). */
    public ContainerState await(Container c, WaitCondition condition, long exitsBefore) throws InterruptedException {
        Duration forever = Duration.ofDays(3650);
        switch (condition) {
            case NEXT_EXIT -> c.await(() -> c.exits() > exitsBefore || c.removed(), forever);
            case REMOVED -> c.await(c::removed, forever);
            default -> c.await(() -> {
                ContainerStatus s = c.record().state().status();
                return !s.hasProcess() && s != ContainerStatus.RESTARTING;
            }, forever);
        }
        return c.record().state();
    }

    /** For {@code GET /containers/{id}/logs}. */
    public ContainerLogs logs() {
        return idOrName -> store.find(idOrName).map(c -> new LogSource() {
            @Override
            public Path logFile() {
                return c.logPath();
            }

            @Override
            public boolean tty() {
                return c.record().config().tty();
            }

            @Override
            public boolean running() {
                ContainerStatus s = c.record().state().status();
                return s.hasProcess();
            }
        });
    }

    @Override
    public List<User> containersUsing(ImageId image) {
        return store.list().stream().filter(c -> c.record().imageId().equals(image.toString()))
                .map(c -> new User(c.id().value(), c.record().state().status().hasProcess())).toList();
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw AgentException.system("delete " + dir, e);
        }
    }
}
