package io.hawser.console.localagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalAgentPathsTest {

    @Test
    void everythingLivesUnderTheDataDir_butTheExecRootIsShortAndPerDataDir() {
        LocalAgentPaths paths = LocalAgentPaths.of(Path.of("/home/ann/.hawser"), null);

        assertThat(paths.dataRoot()).isEqualTo(Path.of("/home/ann/.hawser/agent"));
        assertThat(paths.socket()).isEqualTo(Path.of("/home/ann/.hawser/agent/hawser.sock"));
        assertThat(paths.log()).isEqualTo(Path.of("/home/ann/.hawser/agent/agent.log"));
        assertThat(paths.credential()).isEqualTo(Path.of("/home/ann/.hawser/agent/link/credential"));
        assertThat(paths.execRoot().toString()).matches("/run/hawser-local-[0-9a-f]{8}");
        assertThat(LocalAgentPaths.of(Path.of("/home/ann/.hawser/"), null).execRoot()).as("same directory, same hash")
                .isEqualTo(paths.execRoot());
        assertThat(LocalAgentPaths.of(Path.of("/home/bob/.hawser"), null).execRoot()).isNotEqualTo(paths.execRoot());
    }

    @Test
    void aSocketPathTooLongForSunPath_movesBesideTheExecRoot() {
        Path deep = Path.of("/" + "d".repeat(100));
        LocalAgentPaths paths = LocalAgentPaths.of(deep, Path.of("/run/x"));

        assertThat(paths.socket()).isEqualTo(Path.of("/run/x.sock"));
        assertThat(paths.dataRoot()).isEqualTo(deep.resolve("agent"));
    }

    @Test
    void aRelativeDataDirIsMadeAbsolute_sinceTheAgentRunsWithItsOwnPaths() {
        LocalAgentPaths paths = LocalAgentPaths.of(Path.of("target/x"), null);

        assertThat(paths.dataRoot()).isAbsolute();
        assertThat(paths.socket()).isAbsolute();
    }
}
