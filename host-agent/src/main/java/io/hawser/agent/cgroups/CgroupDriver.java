package io.hawser.agent.cgroups;

/**
 * Creates and finds cgroups in the host's hierarchy: the v1 or v2 implementation, chosen at start-up
 * by {@code io.hawser.agent.cgroups.detect.CgroupDrivers}.
 */
public interface CgroupDriver {

    CgroupVersion version();

    /**
     * Creates the cgroup (and any missing ancestors, such as the {@code --cgroup-parent}) and writes
     * {@code resources}. Creating one that exists reuses it and writes the limits again.
     *
     * <p>Every cgroup created here also gets Docker's default device policy ({@link DeviceRule#DOCKER_DEFAULTS}):
     * on v1 through the devices controller (creation fails if it is not mounted); v2 has no devices
     * controller, its policy is a BPF program attached by hawser-shim (see the implementation).
     */
    Cgroup create(CgroupPath path, Resources resources);

    /** A handle on an existing cgroup, for example a container re-adopted after a restart. */
    Cgroup open(CgroupPath path);

    /** Whether the cgroup exists (in the memory controller on v1, the one tree on v2). */
    boolean exists(CgroupPath path);

    /** {@code docker info}'s {@code CgroupDriver}: "cgroupfs", since the agent writes the files itself. */
    default String driverName() {
        return "cgroupfs";
    }
}
