package io.hawser.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilityTest {

    @Test
    void numbers_followTheKernel() {
        assertThat(Capability.CHOWN.number()).isZero();
        assertThat(Capability.SYS_ADMIN.number()).isEqualTo(21);
        assertThat(Capability.AUDIT_WRITE.number()).isEqualTo(29);
        assertThat(Capability.CHECKPOINT_RESTORE.number()).isEqualTo(40);
    }

    @Test
    void dockerDefaults_areTheMaskDockerShowsInCapBnd() {
        assertThat(Capability.mask(Capability.DOCKER_DEFAULTS)).isEqualTo(0xa80425fbL);
    }

    @Test
    void parse_acceptsDockerSpellings() {
        assertThat(Capability.parse("cap_net_admin")).isEqualTo(Capability.NET_ADMIN);
        assertThat(Capability.parse("NET_ADMIN")).isEqualTo(Capability.NET_ADMIN);
        assertThat(Capability.mask(Set.of(Capability.parse("chown")))).isEqualTo(1L);
    }
}
