package io.hawser.agent.api;

import io.hawser.agent.container.Container;
import io.hawser.agent.container.ContainerStatus;
import io.hawser.agent.container.Containers;
import java.util.Optional;

/**
 * {@link ContainerViews} over the container store, for top, diff, stats and info. Lower directories are
 * the overlay's: the container's init layer, then the image's snapshots, top first.
 */
public final class ContainerViewsAdapter implements ContainerViews {

    private final Containers containers;

    public ContainerViewsAdapter(Containers containers) {
        this.containers = containers;
    }

    @Override
    public Optional<ContainerView> find(String idOrName) {
        return containers.find(idOrName).map(ContainerViewsAdapter::view);
    }

    private static ContainerView view(Container c) {
        synchronized (c) {
            boolean running = c.record().state().status().hasProcess() && c.shim() != null;
            return new ContainerView(c.id().value(), c.name(), running, running ? c.shim().initPid() : 0,
                    running ? Optional.ofNullable(c.cgroup()) : Optional.empty(), c.rootfs().upperDir(), c.rootfs().lowerDirs());
        }
    }

    @Override
    public Counts counts() {
        int total = 0;
        int running = 0;
        int paused = 0;
        for (Container c : containers.list()) {
            ContainerStatus s = c.record().state().status();
            total++;
            if (s == ContainerStatus.PAUSED) {
                paused++;
            } else if (s == ContainerStatus.RUNNING || s == ContainerStatus.RESTARTING) {
                running++;
            }
        }
        return new Counts(total, running, paused, total - running - paused);
    }
}
