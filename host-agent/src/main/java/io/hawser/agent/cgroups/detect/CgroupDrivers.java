package io.hawser.agent.cgroups.detect;

import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.v1.V1Driver;
import io.hawser.agent.cgroups.v2.V2Driver;
import java.nio.file.Path;

/**
 * Picks the v1 or v2 driver for what the host mounts (the rule is in {@link CgroupLayout}). Its own
 * package so that {@code cgroups} (the contract) never imports its implementations, which import it.
 */
public final class CgroupDrivers {

    private CgroupDrivers() {}

    /** The running host, from /proc/self/mountinfo. */
    public static CgroupDriver detect() {
        return forLayout(CgroupLayout.fromProc());
    }

    /** A tree shaped like /sys/fs/cgroup at {@code root} (the unit tests' temp dirs). */
    public static CgroupDriver detect(Path root) {
        return forLayout(CgroupLayout.fromTree(root));
    }

    public static CgroupDriver forLayout(CgroupLayout layout) {
        return switch (layout.version()) {
            case V1 -> new V1Driver(layout);
            case V2 -> new V2Driver(layout);
        };
    }
}
