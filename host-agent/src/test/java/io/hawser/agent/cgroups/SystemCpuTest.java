package io.hawser.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemCpuTest {

    @TempDir
    Path tmp;

    @Test
    void read_sumsTheCpuLineInNanoseconds_andCountsCpus() throws Exception {
        Path stat = tmp.resolve("stat");
        Files.writeString(stat, """
                cpu  100 2 30 400 5 6 7 8 9 10
                cpu0 50 1 15 200 2 3 3 4 0 0
                cpu1 50 1 15 200 3 3 4 4 0 0
                intr 12345
                ctxt 999
                """);
        SystemCpu cpu = SystemCpu.read(stat);
        assertThat(cpu.usageNanos()).isEqualTo((100 + 2 + 30 + 400 + 5 + 6 + 7 + 8) * 10_000_000L);
        assertThat(cpu.onlineCpus()).isEqualTo(2);
    }

    @Test
    void read_ofThisHost_isPositive() {
        SystemCpu cpu = SystemCpu.read();
        assertThat(cpu.usageNanos()).isPositive();
        assertThat(cpu.onlineCpus()).isPositive();
    }
}
