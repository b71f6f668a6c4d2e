package io.hawser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The small pure parts of the image endpoints: progress text, reference globs, the import tag. */
class ImageApiPartsTest {

    @Test
    void humanSize_isGoUnitsDecimalWithFourDigits() {
        assertThat(ProgressBar.humanSize(512)).isEqualTo("512B");
        assertThat(ProgressBar.humanSize(1_982_391)).isEqualTo("1.982MB");
        assertThat(ProgressBar.humanSize(1_500_000)).isEqualTo("1.5MB");
        assertThat(ProgressBar.humanSize(524_288)).isEqualTo("524.3kB");
    }

    @Test
    void progress_drawsABarOnlyWithATotal() {
        assertThat(ProgressBar.format(1_000_000, 0)).isEqualTo("     1MB");
        assertThat(ProgressBar.format(1_000_000, 2_000_000))
                .isEqualTo("[" + "=".repeat(25) + ">" + " ".repeat(24) + "]      1MB/2MB");
        assertThat(ProgressBar.format(2_000_000, 2_000_000)).startsWith("[" + "=".repeat(50) + "] ");
    }

    @Test
    void glob_isGoPathMatch() {
        assertThat(ImageListFilters.glob("bb*").matcher("bb:1").matches()).isTrue();
        assertThat(ImageListFilters.glob("*").matcher("team/app").matches()).isFalse();
        assertThat(ImageListFilters.glob("team/*").matcher("team/app").matches()).isTrue();
        assertThat(ImageListFilters.glob("b?").matcher("bb").matches()).isTrue();
        assertThat(ImageListFilters.glob("[ab]b").matcher("bb").matches()).isTrue();
        assertThat(ImageListFilters.glob("a.b").matcher("axb").matches()).isFalse();
    }

    @Test
    void importTag_readsRepoWithOrWithoutTag() {
        assertThat(ImageCreateHandler.tag("bb:1", null).familiarString()).isEqualTo("bb:1");
        assertThat(ImageCreateHandler.tag("bb", "2").familiarString()).isEqualTo("bb:2");
        assertThat(ImageCreateHandler.tag("", null)).isNull();
        assertThatThrownBy(() -> ImageCreateHandler.tag("bb@sha256:" + "a".repeat(64), null)).hasMessage("cannot import digest reference");
    }
}
