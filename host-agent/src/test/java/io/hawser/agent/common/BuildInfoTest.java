package io.hawser.agent.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildInfoTest {

    /** The Maven build writes build.properties before the tests run; these are its real values. */
    @Test
    void load_readsWhatTheBuildWrote() {
        BuildInfo info = BuildInfo.load();
        assertThat(info.version()).isEqualTo(System.getProperty("hawser.expected.version"));
        assertThat(info.buildTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(info.gitCommit()).matches("[0-9a-f]*");
    }
}
