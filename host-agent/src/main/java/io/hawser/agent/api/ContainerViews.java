package io.hawser.agent.api;

import io.hawser.agent.cgroups.Cgroup;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the introspection endpoints ({@code top}, {@code diff}, {@code stats}, {@code info}) need to know of
 * containers, without depending on how the container subsystem keeps them.
 */
public interface ContainerViews {

    /** A container found by full id, unique id prefix or name (with or without the leading '/'); empty if none. */
    Optional<ContainerView> find(String idOrName);

    /** Counts for {@code GET /info}. */
    Counts counts();

    record Counts(int total, int running, int paused, int stopped) {}

    /**
     * One container.
     *
     * @param id        64 hex digits
     * @param name      without the leading '/'
     * @param running   whether its init process runs now
     * @param initPid   the init's pid in the host's pid namespace, 0 when not running
     * @param cgroup    its cgroup, empty when not running
     * @param upperDir  the overlay upper directory (the container's own changes)
     * @param lowerDirs the image's snapshot directories, top layer first
     */
    record ContainerView(String id, String name, boolean running, int initPid, Optional<Cgroup> cgroup,
                         Path upperDir, List<Path> lowerDirs) {}
}
