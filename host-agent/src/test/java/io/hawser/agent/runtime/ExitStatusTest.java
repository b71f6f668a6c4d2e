package io.hawser.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExitStatusTest {

    @Test
    void parse_readsTheShimsExitFile() {
        assertThat(ExitStatus.parse("code=137\nsignal=9\ntime=2026-11-27T22:30:00.123456789Z\n"))
                .isEqualTo(new ExitStatus(137, 9, Instant.parse("2026-11-27T22:30:00.123456789Z")));
    }

    @Test
    void parse_refusesATruncatedFile() {
        assertThatThrownBy(() -> ExitStatus.parse("code=1\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed exit file");
    }

    @Test
    void startException_mapsExecErrnosToDockersExitCodes() {
        assertThat(ShimStartException.parse("exec 2 exec \"x\": No such file or directory").exitCode()).isEqualTo(127);
        assertThat(ShimStartException.parse("exec 13 exec \"/etc\": Permission denied").exitCode()).isEqualTo(126);
        ShimStartException setup = ShimStartException.parse("setup 1 mount proc on /r/proc (proc): Operation not permitted");
        assertThat(setup.exitCode()).isEqualTo(125);
        assertThat(setup.getMessage()).isEqualTo("mount proc on /r/proc (proc): Operation not permitted");
        assertThat(ShimStartException.parse("garbage").getMessage()).isEqualTo("hawser-shim: garbage");
    }
}
