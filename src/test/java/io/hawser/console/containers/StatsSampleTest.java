package io.hawser.console.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatsSampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode doc(String read, long total, long preTotal, long system, long preSystem, long rx, long tx,
                                long readBytes, long writeBytes) throws Exception {
        return JSON.readTree("""
                {"read": "%s",
                 "cpu_stats": {"cpu_usage": {"total_usage": %d}, "system_cpu_usage": %d, "online_cpus": 2},
                 "precpu_stats": {"cpu_usage": {"total_usage": %d}, "system_cpu_usage": %d},
                 "memory_stats": {"usage": 10485760, "limit": 67108864, "stats": {"total_inactive_file": 2097152}},
                 "networks": {"eth0": {"rx_bytes": %d, "tx_bytes": %d}},
                 "blkio_stats": {"io_service_bytes_recursive": [
                   {"major": 8, "minor": 0, "op": "Read", "value": %d}, {"major": 8, "minor": 0, "op": "Write", "value": %d},
                   {"major": 8, "minor": 0, "op": "Total", "value": 1}]}}
                """.formatted(read, total, system, preTotal, preSystem, rx, tx, readBytes, writeBytes));
    }

    @Test
    void cpuMemoryAndRates_asTheDockerCliComputesThem() throws Exception {
        JsonNode first = doc("2026-01-01T00:00:00Z", 100, 0, 1000, 0, 1000, 500, 0, 0);
        JsonNode second = doc("2026-01-01T00:00:02Z", 350, 100, 3000, 1000, 5000, 2500, 4096, 8192);

        StatsSample s = StatsSample.of(second, first);
        assertThat(s.cpuPercent()).isCloseTo(250.0 / 2000 * 2 * 100, within(1e-9));
        assertThat(s.memoryBytes()).as("usage less the inactive page cache").isEqualTo(8L << 20);
        assertThat(s.memoryLimit()).isEqualTo(64L << 20);
        assertThat(s.rxPerSecond()).isEqualTo(2000.0);
        assertThat(s.txPerSecond()).isEqualTo(1000.0);
        assertThat(s.readPerSecond()).isEqualTo(2048.0);
        assertThat(s.writePerSecond()).isEqualTo(4096.0);

        StatsSample alone = StatsSample.of(first, null);
        assertThat(alone.rxPerSecond()).isZero();
        assertThat(alone.cpuPercent()).isCloseTo(100.0 / 1000 * 2 * 100, within(1e-9));
    }
}
