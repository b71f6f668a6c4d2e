package io.hawser.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {

    private static ImageConfig.RunConfig apply(String... changes) {
        return ConfigChanges.apply(ImageConfig.RunConfig.EMPTY, List.of(changes));
    }

    @Test
    void apply_execAndShellForms() {
        ImageConfig.RunConfig c = apply("CMD [\"sh\"]", "entrypoint echo hi");
        assertThat(c.cmd()).containsExactly("sh");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "echo hi");
    }

    @Test
    void apply_envLabelExposeVolumeAndScalars() {
        ImageConfig.RunConfig c = apply("ENV A=b C=\"d e\"", "ENV A=z", "ENV LEGACY one two", "LABEL team=ops",
                "EXPOSE 80 53/udp", "VOLUME [\"/data\"]", "VOLUME /x /y", "WORKDIR /srv", "USER 1000:1000", "STOPSIGNAL SIGINT");
        assertThat(c.env()).containsExactly("A=z", "C=d e", "LEGACY=one two");
        assertThat(c.labels()).isEqualTo(Map.of("team", "ops"));
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "53/udp");
        assertThat(c.volumes()).containsOnlyKeys("/data", "/x", "/y");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
    }

    @Test
    void apply_rejectsUnknownInstructions() {
        assertThatThrownBy(() -> apply("RUN rm -rf /")).hasMessage("RUN is not a valid change command");
        assertThatThrownBy(() -> apply("WORKDIR")).hasMessage("WORKDIR requires at least one argument");
        assertThatThrownBy(() -> apply("LABEL novalue")).hasMessageContaining("LABEL names must be followed by '='");
    }
}
