package io.hawser.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import org.junit.jupiter.api.Test;

class ResourcesTest {

    private static final long MIB = 1024 * 1024;

    private static void assertInvalid(Resources r, String message) {
        assertThatThrownBy(() -> r.validate(2, false))
                .isInstanceOf(AgentException.class)
                .hasMessage(message)
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
    }

    @Test
    void validate_acceptsNoLimitsAndTypicalLimits() {
        Resources.none().validate(2, false);
        Resources.none().withMemory(32 * MIB).withNanoCpus(500_000_000).withPidsLimit(32L).withCpuShares(512).validate(2, false);
        Resources.none().withCpuPeriod(50_000).withCpuQuota(25_000).validate(2, false);
    }

    @Test
    void validate_usesDockerdWording() {
        assertInvalid(Resources.none().withMemory(6 * MIB - 1), "Minimum memory limit allowed is 6MB");
        assertInvalid(Resources.none().withMemory(32 * MIB).withMemorySwap(16 * MIB),
                "Minimum memoryswap limit should be larger than memory limit, see usage");
        assertInvalid(Resources.none().withMemorySwap(16 * MIB),
                "You should always set the Memory limit when using Memoryswap limit, see usage");
        assertInvalid(Resources.none().withNanoCpus(1_000_000_000).withCpuPeriod(100_000),
                "Conflicting options: Nano CPUs and CPU Period cannot both be set");
        assertInvalid(Resources.none().withNanoCpus(1_000_000_000).withCpuQuota(50_000),
                "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        assertInvalid(Resources.none().withNanoCpus(3_000_000_000L),
                "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
        assertInvalid(Resources.none().withCpuPeriod(999),
                "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        assertInvalid(Resources.none().withCpuQuota(999), "CPU cfs quota can not be less than 1ms (i.e. 1000)");
    }

    @Test
    void validate_updateMaySetSwapWithoutMemory() {
        Resources.none().withMemorySwap(16 * MIB).validate(2, true);
    }

    @Test
    void withDockerDefaults_swapIsTwiceMemory_andSharesClamped() {
        Resources r = Resources.none().withMemory(32 * MIB).withCpuShares(1_000_000).withDockerDefaults();
        assertThat(r.memorySwap()).isEqualTo(64 * MIB);
        assertThat(r.cpuShares()).isEqualTo(262_144);
        assertThat(Resources.none().withMemory(32 * MIB).withMemorySwap(-1).withDockerDefaults().memorySwap()).isEqualTo(-1);
        assertThat(Resources.none().withDockerDefaults().memorySwap()).isZero();
        assertThat(Resources.none().withCpuShares(-5).withDockerDefaults().cpuShares()).isEqualTo(2);
    }

    @Test
    void cpus_becomeQuotaOverA100msPeriod() {
        Resources half = Resources.none().withNanoCpus(500_000_000);
        assertThat(half.effectiveCpuPeriod()).isEqualTo(100_000);
        assertThat(half.effectiveCpuQuota()).isEqualTo(50_000);
        Resources onePointFive = Resources.none().withNanoCpus(1_500_000_000);
        assertThat(onePointFive.effectiveCpuQuota()).isEqualTo(150_000);
        Resources explicit = Resources.none().withCpuPeriod(20_000).withCpuQuota(-1);
        assertThat(explicit.effectiveCpuPeriod()).isEqualTo(20_000);
        assertThat(explicit.effectiveCpuQuota()).isEqualTo(-1);
        assertThat(Resources.none().effectiveCpuQuota()).isZero();
    }

    @Test
    void sharesToWeight_matchesRuncConversion() {
        assertThat(Resources.sharesToWeight(0)).isZero();
        assertThat(Resources.sharesToWeight(2)).isEqualTo(1);
        assertThat(Resources.sharesToWeight(512)).isEqualTo(20);
        assertThat(Resources.sharesToWeight(1024)).isEqualTo(39);
        assertThat(Resources.sharesToWeight(262_144)).isEqualTo(10_000);
    }
}
