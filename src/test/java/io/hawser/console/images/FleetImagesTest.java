package io.hawser.console.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FleetImagesTest {

    @Test
    void checkedName_takesReferencesAndIds() {
        assertThat(FleetImages.checkedName("registry:5000/team/app:1.2")).isEqualTo("registry:5000/team/app:1.2");
        assertThat(FleetImages.checkedName("sha256:0123abcd")).isEqualTo("sha256:0123abcd");
        assertThat(FleetImages.checkedName("app@sha256:0123")).isEqualTo("app@sha256:0123");
    }

    @Test
    void checkedName_refusesWhatWouldChangeTheRequest() {
        for (String bad : List.of("a b", "app?force=1", "../containers/x", "a/../../b", "/abs", "", "a%2Fb", "x\r\nHost: y",
                "a".repeat(256))) {
            assertThatThrownBy(() -> FleetImages.checkedName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not an image name or id");
        }
    }

    @Test
    void shortIdAndReference_asDockerImagesShowsThem() {
        FleetImage tagged = new FleetImage("app:1", "sha256:" + "ab".repeat(32), 1L, null, List.of());
        assertThat(tagged.shortId()).isEqualTo("abababababab");
        assertThat(tagged.reference()).isEqualTo("app:1");
        FleetImage untagged = new FleetImage(FleetImage.UNTAGGED, "sha256:" + "cd".repeat(32), 1L, null, List.of());
        assertThat(untagged.reference()).isEqualTo("sha256:" + "cd".repeat(32));
    }
}
