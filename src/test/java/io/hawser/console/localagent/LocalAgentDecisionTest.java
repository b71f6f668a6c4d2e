package io.hawser.console.localagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAgentDecisionTest {

    @TempDir
    Path dir;

    private LocalAgentProperties settings(Boolean enabled, Path jar) {
        return new LocalAgentProperties(enabled, jar, "hawser", null);
    }

    @Test
    void startsAsRootWithAJar_unlessDisabled() throws Exception {
        Path jar = Files.createFile(dir.resolve("hawser-agent.jar"));

        assertThat(LocalAgentDecision.refusal(settings(null, jar), true, 8080)).isEmpty();
        assertThat(LocalAgentDecision.refusal(settings(true, jar), true, 8080)).isEmpty();
        assertThat(LocalAgentDecision.refusal(settings(false, jar), true, 8080)).hasValue("");
    }

    @Test
    void withoutAJar_saysNothing_unlessAskedFor() {
        assertThat(LocalAgentDecision.refusal(settings(null, null), true, 8080)).hasValue("");
        assertThat(LocalAgentDecision.refusal(settings(true, null), true, 8080).orElseThrow())
                .contains("hawser.local-agent.jar is not set");
        assertThat(LocalAgentDecision.refusal(settings(null, dir.resolve("missing.jar")), true, 8080).orElseThrow())
                .contains("missing.jar does not exist");
    }

    @Test
    void notRoot_saysOnceWhatToDo() throws Exception {
        Path jar = Files.createFile(dir.resolve("hawser-agent.jar"));

        assertThat(LocalAgentDecision.refusal(settings(null, jar), false, 9090).orElseThrow())
                .contains("needs root", "sudo ./hawser", "--console-url http://localhost:9090", "--join-token")
                .doesNotContain("\n");
    }

    @Test
    void aCgroupParentIsAPath() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LocalAgentProperties(null, null, "../x", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new LocalAgentProperties(null, null, "hawser/local", null).cgroupParent()).isEqualTo("hawser/local");
    }
}
