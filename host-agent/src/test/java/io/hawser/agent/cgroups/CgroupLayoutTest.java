package io.hawser.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {

    /** This machine's: v1 controllers plus an empty cgroup2 at /sys/fs/cgroup/unified ("hybrid"). */
    static final String HYBRID = """
            22 1 254:0 / / rw,relatime - ext4 /dev/vda rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    /** Debian 12 / systemd 252 default: cgroup2 on /sys/fs/cgroup and nothing else. */
    static final String UNIFIED = """
            21 26 0:20 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            26 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro
            27 21 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;

    /** Older systemd hosts co-mount cpu with cpuacct (and net_cls with net_prio). */
    static final String COMOUNTED = """
            25 18 0:21 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
            26 25 0:22 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            27 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,name=systemd
            30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpu,cpuacct
            31 25 0:27 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,net_cls,net_prio
            32 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory
            """;

    @Test
    void fromMountinfo_hybridHost_isV1() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(HYBRID);
        assertThat(layout.version()).isEqualTo(CgroupVersion.V1);
        assertThat(layout.unifiedRoot()).isNull();
        assertThat(layout.v1Controllers()).containsOnlyKeys("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids");
        assertThat(layout.v1Controllers().get("memory")).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
    }

    @Test
    void fromMountinfo_pureUnifiedHost_isV2() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(UNIFIED);
        assertThat(layout.version()).isEqualTo(CgroupVersion.V2);
        assertThat(layout.unifiedRoot()).isEqualTo(Path.of("/sys/fs/cgroup"));
        assertThat(layout.v1Controllers()).isEmpty();
    }

    @Test
    void fromMountinfo_coMountedControllers_shareAMountPoint() {
        CgroupLayout layout = CgroupLayout.fromMountinfo(COMOUNTED);
        assertThat(layout.version()).isEqualTo(CgroupVersion.V1);
        assertThat(layout.v1Controllers().get("cpu")).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(layout.v1Controllers().get("cpuacct")).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
        assertThat(layout.v1Controllers()).doesNotContainKeys("xattr", "name=systemd", "rw");
    }

    @Test
    void fromMountinfo_noCgroups_failsClearly() {
        assertThatThrownBy(() -> CgroupLayout.fromMountinfo("22 1 254:0 / / rw - ext4 /dev/vda rw\n"))
                .isInstanceOf(AgentException.class).hasMessageContaining("no cgroup hierarchy is mounted");
    }

    @Test
    void fromMountinfo_unescapesOctalInMountPoints() {
        assertThat(CgroupLayout.unescape("/mnt/my\\040cgroups")).isEqualTo("/mnt/my cgroups");
        assertThat(CgroupLayout.fromMountinfo("40 1 0:38 / /mnt/c\\040g rw - cgroup2 cgroup2 rw\n").unifiedRoot())
                .isEqualTo(Path.of("/mnt/c g"));
    }

    @Test
    void fromProc_onThisHost_findsAHierarchy() {
        CgroupLayout layout = CgroupLayout.fromProc();
        if (layout.version() == CgroupVersion.V1) {
            assertThat(layout.v1Controllers()).containsKey("memory");
        } else {
            assertThat(layout.unifiedRoot().resolve("cgroup.controllers")).exists();
        }
    }

    @Test
    void fromTree_v2RootHasCgroupControllers(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        CgroupLayout layout = CgroupLayout.fromTree(root);
        assertThat(layout.version()).isEqualTo(CgroupVersion.V2);
        assertThat(layout.unifiedRoot()).isEqualTo(root);
    }

    @Test
    void fromTree_v1HasADirectoryPerController_andSymlinksResolveToOne(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("cpu,cpuacct"));
        Files.createSymbolicLink(root.resolve("cpu"), root.resolve("cpu,cpuacct"));
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("systemd"));
        Files.createDirectories(root.resolve("unified"));
        CgroupLayout layout = CgroupLayout.fromTree(root);
        assertThat(layout.version()).isEqualTo(CgroupVersion.V1);
        assertThat(layout.v1Controllers()).containsOnlyKeys("cpu", "cpuacct", "memory");
        assertThat(layout.v1Controllers().get("cpu")).isEqualTo(root.resolve("cpu,cpuacct").toRealPath());
    }

    @Test
    void fromTree_emptyDirectory_failsClearly(@TempDir Path root) {
        assertThatThrownBy(() -> CgroupLayout.fromTree(root)).isInstanceOf(AgentException.class)
                .hasMessageContaining("no cgroup hierarchy is mounted");
    }
}
