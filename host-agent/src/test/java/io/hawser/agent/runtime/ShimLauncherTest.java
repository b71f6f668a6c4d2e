package io.hawser.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's side of a shim that fails before it connects (the real shim runs in ShimRunIT). */
class ShimLauncherTest {

    @TempDir
    Path tmp;

    @Test
    void shimFailingBeforeItConnects_isReportedWithItsStderr() throws Exception {
        Path fake = tmp.resolve("hawser-shim");
        Files.writeString(fake, "#!/bin/sh\necho 'hawser-shim: spec has no log record' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path state = tmp.resolve("s");
        ContainerSpec spec = ContainerSpec.builder(tmp.resolve("rootfs"), tmp.resolve("log"), List.of("true")).build();

        assertThatThrownBy(() -> new ShimLauncher(fake).launch(state, spec, pid -> { }))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("failed (exit 1): hawser-shim: spec has no log record");
        assertThat(state.resolve(ShimLauncher.SYNC_SOCKET)).doesNotExist();
    }
}
