package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.DeviceRule;
import java.nio.file.Path;
import java.util.List;

/**
 * The v1 devices controller: {@code a} written to {@code devices.deny} empties the cgroup's allow-list
 * (the kernel refuses it once the cgroup has children, so it is written at creation), then each rule is
 * one write to {@code devices.allow}, as runc's fs driver does it. A rule can only narrow what the parent
 * allows.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/devices.html">Device Whitelist Controller</a>
 */
final class DevicesV1 {

    private DevicesV1() {}

    static void set(Path dir, List<DeviceRule> allowed) {
        CgroupFiles.write(dir.resolve("devices.deny"), "a");
        for (DeviceRule rule : allowed) {
            CgroupFiles.write(dir.resolve("devices.allow"), rule.v1Line());
        }
    }
}
