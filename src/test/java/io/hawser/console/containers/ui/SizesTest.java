package io.hawser.console.containers.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void memory_inBinaryUnits_withTheLimitWhenThereIsOne() {
        assertThat(Sizes.memory(null, 1024L)).isEmpty();
        assertThat(Sizes.memory(512L, null)).isEqualTo("512 B");
        assertThat(Sizes.memory(12L << 20, 1L << 30)).isEqualTo("12.0 MiB / 1.0 GiB");
        assertThat(Sizes.memory(1536L, 0L)).isEqualTo("1.5 KiB");
    }
}
