package io.hawser.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostInfoTest {

    @Test
    void goArch_usesDockersNames() {
        assertThat(HostInfo.goArch("amd64")).isEqualTo("amd64");
        assertThat(HostInfo.goArch("x86_64")).isEqualTo("amd64");
        assertThat(HostInfo.goArch("aarch64")).isEqualTo("arm64");
        assertThat(HostInfo.goArch("riscv64")).isEqualTo("riscv64");
    }

    @Test
    void nativePlatform_namesTheShimFolder() {
        assertThat(new HostInfo("linux", "amd64", "6.1").nativePlatform()).isEqualTo("linux-x86_64");
        assertThat(new HostInfo("linux", "arm64", "6.1").nativePlatform()).isEqualTo("linux-aarch64");
    }

    @Test
    void kernelRelease_isTheTrimmedFileContent(@TempDir Path tmp) throws IOException {
        Path osrelease = Files.writeString(tmp.resolve("osrelease"), "6.18.44-fc\n");
        assertThat(HostInfo.kernelRelease(osrelease)).isEqualTo("6.18.44-fc");
        assertThatThrownBy(() -> HostInfo.kernelRelease(tmp.resolve("missing")))
                .isInstanceOf(AgentException.class)
                .hasMessageStartingWith("read kernel version from " + tmp.resolve("missing") + " failed: ");
    }

    @Test
    void detect_onThisMachine_matchesUname() {
        HostInfo host = HostInfo.detect();
        assertThat(host.os()).isEqualTo("linux");
        assertThat(host.kernelVersion()).isNotBlank().doesNotContain("\n");
    }
}
