package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.common.AgentException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The v1 freezer: writing FROZEN starts freezing; the state reads FREEZING until every task stopped.
 * A task in an uninterruptible sleep can hold it in FREEZING, so the write is repeated while waiting
 * (runc fs/freezer.go does the same).
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/freezer-subsystem.html">Freezer Subsystem</a>
 */
final class FreezerV1 {

    static final String STATE = "freezer.state";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private FreezerV1() {}

    static void freeze(Path dir) {
        set(dir, "FROZEN");
    }

    static void thaw(Path dir) {
        set(dir, "THAWED");
    }

    private static void set(Path dir, String state) {
        Path file = dir.resolve(STATE);
        boolean reached = CgroupFiles.await(() -> {
            CgroupFiles.write(file, state);
            return CgroupFiles.read(file).equals(state);
        }, TIMEOUT);
        if (!reached) {
            throw AgentException.system("set " + file + " to " + state + " failed: it still reads "
                    + CgroupFiles.read(file) + " after " + TIMEOUT.toSeconds() + " s");
        }
    }
}
