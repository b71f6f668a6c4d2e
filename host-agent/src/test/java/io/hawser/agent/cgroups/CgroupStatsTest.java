package io.hawser.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgroupStatsTest {

    @Test
    void usageWithoutCache_subtractsInactiveFileAsTheDockerCliDoes() {
        assertThat(new CgroupStats.Memory(1000, 0, 5000, 0, Map.of("total_inactive_file", 300L, "inactive_file", 1L))
                .usageWithoutCache()).isEqualTo(700); // v1: the hierarchical total wins
        assertThat(new CgroupStats.Memory(1000, 0, 5000, 0, Map.of("inactive_file", 200L)).usageWithoutCache()).isEqualTo(800);
        assertThat(new CgroupStats.Memory(1000, 0, 5000, 0, Map.of("inactive_file", 2000L)).usageWithoutCache()).isEqualTo(1000);
        assertThat(new CgroupStats.Memory(1000, 0, 5000, 0, Map.of()).usageWithoutCache()).isEqualTo(1000);
    }

    @Test
    void blkioTotals_addUpReadAndWriteOverDevices() {
        CgroupStats.Cpu cpu = new CgroupStats.Cpu(0, List.of(), 0, 0, 0, 0, 0);
        CgroupStats s = new CgroupStats(cpu, new CgroupStats.Memory(0, 0, 0, 0, Map.of()), new CgroupStats.Pids(0, 0), List.of(
                new CgroupStats.BlkioEntry(8, 0, "Read", 10), new CgroupStats.BlkioEntry(8, 16, "read", 5),
                new CgroupStats.BlkioEntry(8, 0, "Write", 7), new CgroupStats.BlkioEntry(8, 0, "Total", 17)));
        assertThat(s.blkioReadBytes()).isEqualTo(15);
        assertThat(s.blkioWriteBytes()).isEqualTo(7);
    }
}
