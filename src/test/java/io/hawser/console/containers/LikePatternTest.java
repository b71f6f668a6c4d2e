package io.hawser.console.containers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LikePatternTest {

    @Test
    void contains_escapesLikeWildcards_andTrims() {
        assertThat(FleetContainers.contains(" web ")).isEqualTo("%web%");
        assertThat(FleetContainers.contains("100%_x\\y")).isEqualTo("%100\\%\\_x\\\\y%");
    }
}
