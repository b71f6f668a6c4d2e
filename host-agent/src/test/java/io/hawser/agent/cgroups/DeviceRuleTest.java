package io.hawser.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceRuleTest {

    @Test
    void dockerDefaults_asV1Lines_matchRuncsAllowedDevices() {
        assertThat(DeviceRule.DOCKER_DEFAULTS.stream().map(DeviceRule::v1Line).toList()).containsExactly(
                "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
                "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm");
    }

    @Test
    void dockerDefaults_allowNoBlockDeviceAccess() {
        assertThat(DeviceRule.DOCKER_DEFAULTS).filteredOn(r -> r.type() != 'c').allMatch(r -> r.access().equals("m"));
    }

    @Test
    void badRules_areRefused() {
        assertThatThrownBy(() -> new DeviceRule('x', 1, 3, "rwm")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceRule('c', 1, 3, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceRule('c', 1, 3, "wr")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceRule('c', -2, 3, "r")).isInstanceOf(IllegalArgumentException.class);
    }
}
