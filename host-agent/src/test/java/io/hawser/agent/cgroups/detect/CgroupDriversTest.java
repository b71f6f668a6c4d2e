package io.hawser.agent.cgroups.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.cgroups.v1.V1Driver;
import io.hawser.agent.cgroups.v2.V2Driver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupDriversTest {

    @Test
    void detect_v2Tree_givesTheV2Driver(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        CgroupDriver driver = CgroupDrivers.detect(root);
        assertThat(driver).isInstanceOf(V2Driver.class);
        assertThat(driver.version()).isEqualTo(CgroupVersion.V2);
        assertThat(driver.driverName()).isEqualTo("cgroupfs");
    }

    @Test
    void detect_v1Tree_givesTheV1Driver(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("pids"));
        assertThat(CgroupDrivers.detect(root)).isInstanceOf(V1Driver.class);
    }

    @Test
    void forLayout_hybridMountinfo_givesV1_andUnifiedGivesV2() {
        String hybrid = "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                + "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n";
        assertThat(CgroupDrivers.forLayout(CgroupLayout.fromMountinfo(hybrid)).version()).isEqualTo(CgroupVersion.V1);
        String unified = "27 21 0:25 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n";
        assertThat(CgroupDrivers.forLayout(CgroupLayout.fromMountinfo(unified)).version()).isEqualTo(CgroupVersion.V2);
    }

    @Test
    void detect_thisHost_matchesWhatIsMounted() {
        CgroupDriver driver = CgroupDrivers.detect();
        assertThat(driver.version()).isEqualTo(CgroupLayout.fromProc().version());
    }
}
