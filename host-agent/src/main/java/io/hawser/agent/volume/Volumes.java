package io.hawser.agent.volume;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.events.Event;
import io.hawser.agent.events.EventSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The local volumes of {@code <data-root>/volumes/} (dockerd's "local" driver only): create, list, inspect,
 * remove, prune, and who uses each one. Containers take a reference when created with a volume and drop it
 * when removed ({@link #use}, {@link #release}); a referenced volume cannot be removed, with dockerd's 409
 * "remove NAME: volume is in use - [ids]" (moby volume/service/store.go, OpErr). Events as dockerd's:
 * create, destroy ({@code driver}), mount and unmount (with the container).
 */
public final class Volumes {

    /** What prune answers. */
    public record Pruned(List<String> deleted, long spaceReclaimed) {}

    private final VolumeFiles files;
    private final EventSink events;
    private final Clock clock;
    private final Map<String, Volume> byName = new TreeMap<>();
    private final Map<String, Set<String>> refs = new HashMap<>();

    private Volumes(VolumeFiles files, EventSink events, Clock clock) {
        this.files = files;
        this.events = events;
        this.clock = clock;
        for (Volume v : files.loadAll()) {
            byName.put(v.name(), v);
        }
    }

    public static Volumes open(Path dataRoot, EventSink events, Clock clock) {
        return new Volumes(new VolumeFiles(dataRoot.resolve("volumes")), events, clock);
    }

    /** {@code <data-root>/volumes/<name>/_data}, the Mountpoint. */
    public Path mountpoint(String name) {
        return files.dataDir(name);
    }

    /** docker volume create: a new volume, or the existing one of that name (as dockerd, no error). */
    public synchronized Volume create(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
        if (driver != null && !driver.isEmpty() && !driver.equals(Volume.DRIVER)) {
            throw AgentException.notFound("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
        }
        if (driverOpts != null && !driverOpts.isEmpty()) {
            throw AgentException.invalidArgument("create " + name + ": driver options (-o) are not supported by this engine");
        }
        boolean anonymous = name == null || name.isEmpty();
        String n = anonymous ? VolumeNames.random() : name;
        VolumeNames.validate(n);
        Volume existing = byName.get(n);
        if (existing != null) {
            return existing;
        }
        Volume v = new Volume(n, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), labels, anonymous);
        Volume made = files.create(v).orElseThrow(() -> AgentException.conflict("volume " + n + " appeared on disk meanwhile"));
        byName.put(n, made);
        publish("create", n, Map.of("driver", Volume.DRIVER));
        return made;
    }

    /** A new anonymous volume, referenced by the container at once. */
    public synchronized Volume createAnonymous(String containerId) {
        Volume v = create(null, null, null, null);
        use(v.name(), containerId);
        return v;
    }

    /** The named volume, created if missing (-v NAME:/path), referenced by the container. */
    public synchronized Volume useOrCreate(String name, String containerId) {
        Volume v = byName.containsKey(name) ? byName.get(name) : create(name, null, null, null);
        use(v.name(), containerId);
        return v;
    }

    public synchronized Volume get(String name) {
        Volume v = byName.get(name);
        if (v == null) {
            throw AgentException.notFound("get " + name + ": no such volume");
        }
        return v;
    }

    public synchronized Optional<Volume> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public synchronized List<Volume> list(Predicate<Volume> filter) {
        return byName.values().stream().filter(filter).toList();
    }

    /** The containers referencing it, in the order they took it. */
    public synchronized List<String> users(String name) {
        return List.copyOf(refs.getOrDefault(name, Set.of()));
    }

    /** A container created with the volume (or re-loaded at start-up) references it. */
    public synchronized void use(String name, String containerId) {
        get(name);
        refs.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(containerId);
    }

    public synchronized void release(String name, String containerId) {
        Set<String> users = refs.get(name);
        if (users != null && users.remove(containerId) && users.isEmpty()) {
            refs.remove(name);
        }
    }

    /** docker volume rm: 404 when missing (unless force), 409 while a container references it. */
    public synchronized void remove(String name, boolean force) {
        if (!byName.containsKey(name)) {
            if (force) {
                return;
            }
            get(name);
        }
        List<String> users = users(name);
        if (!users.isEmpty()) {
            throw AgentException.conflict("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
        }
        files.delete(name);
        byName.remove(name);
        publish("destroy", name, Map.of("driver", Volume.DRIVER));
    }

    /** docker volume prune: every unreferenced volume the filter keeps. */
    public synchronized Pruned prune(Predicate<Volume> filter) {
        List<String> deleted = new ArrayList<>();
        long space = 0;
        for (Volume v : List.copyOf(byName.values())) {
            if (refs.containsKey(v.name()) || !filter.test(v)) {
                continue;
            }
            long size = files.size(v.name());
            remove(v.name(), false);
            deleted.add(v.name());
            space += size;
        }
        return new Pruned(deleted, space);
    }

    /** The size of the volume's content (inspect/df with sizes). */
    public long size(String name) {
        return files.size(name);
    }

    /** dockerd's "mount" event, when a container using the volume starts. */
    public void mounted(String name, String containerId, String destination, boolean rw) {
        publish("mount", name, Map.of("driver", Volume.DRIVER, "container", containerId, "destination", destination,
                "propagation", "", "read/write", Boolean.toString(rw)));
    }

    /** dockerd's "unmount" event, when that container stops. */
    public void unmounted(String name, String containerId) {
        publish("unmount", name, Map.of("driver", Volume.DRIVER, "container", containerId));
    }

    private void publish(String action, String name, Map<String, String> attributes) {
        events.publish(new Event(Event.Type.VOLUME, action, name, attributes, clock.instant()));
    }
}
