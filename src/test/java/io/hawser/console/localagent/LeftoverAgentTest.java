package io.hawser.console.localagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverAgentTest {

    @Test
    void onlyAProcessOnThisDataRootIsOurs() {
        Path root = Path.of("/d/agent");

        assertThat(LeftoverAgent.isAgentOn(new String[] {"-jar", "a.jar", "--data-root", "/d/agent", "--socket", "s"}, root)).isTrue();
        assertThat(LeftoverAgent.isAgentOn(new String[] {"-jar", "a.jar", "--data-root", "/e/agent"}, root)).isFalse();
        assertThat(LeftoverAgent.isAgentOn(new String[] {"--data-root"}, root)).isFalse();
        assertThat(LeftoverAgent.isAgentOn(new String[] {"/d/agent", "--data-root"}, root)).isFalse();
    }

    @Test
    void aLeftoverProcessIsStopped_anUnrelatedOneIsNot(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("agent");
        Process ours = new ProcessBuilder("sh", "-c", "sleep 600; :", "sh", "--data-root", root.toString()).start();
        Process other = new ProcessBuilder("sh", "-c", "sleep 600; :").start();
        try {
            Path pidFile = dir.resolve("agent.pid");
            Files.writeString(pidFile, other.pid() + "\n");
            LeftoverAgent.stop(pidFile, root, Duration.ofSeconds(30));
            assertThat(other.isAlive()).as("a reused pid is left alone").isTrue();
            assertThat(pidFile).doesNotExist();

            Files.writeString(pidFile, ours.pid() + "\n");
            LeftoverAgent.stop(pidFile, root, Duration.ofSeconds(30));
            assertThat(ours.isAlive()).isFalse();
            assertThat(pidFile).doesNotExist();
        } finally {
            ours.destroyForcibly(); // sh only: its sleep child ends with the 600 s or is reparented, harmless
            other.destroyForcibly();
        }
    }
}
