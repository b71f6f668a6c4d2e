package io.hawser.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real shim, compiled by this build, installed from the classpath and executed. */
class ShimBinaryIT {

    private static final String VERSION = System.getProperty("hawser.expected.version");

    @TempDir
    Path dataRoot;

    private record Result(int exit, String stdout, String stderr) {}

    private Result run(Path shim, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(shim.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        // Outputs are a few hundred bytes: they fit the pipe buffers, so reading after exit is safe.
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("shim exited").isTrue();
        return new Result(p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void installedShim_printsItsVersion() throws Exception {
        ShimBinary.Installed shim = ShimBinary.install(dataRoot, HostInfo.detect());
        assertThat(shim.path()).isEqualTo(dataRoot.resolve("bin/hawser-shim"));

        Result r = run(shim.path(), "--version");

        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo("hawser-shim " + VERSION + "\n");
    }

    @Test
    void installedShim_rejectsUnknownSubcommandsWithUsage() throws Exception {
        Path shim = ShimBinary.install(dataRoot, HostInfo.detect()).path();

        Result bogus = run(shim, "bogus");
        assertThat(bogus.exit()).isEqualTo(2);
        assertThat(bogus.stderr()).startsWith("hawser-shim: unknown subcommand 'bogus'\n").contains("usage: hawser-shim");

        Result none = run(shim);
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.stderr()).startsWith("hawser-shim: missing subcommand\n");
    }

    @Test
    void secondInstall_ofTheSameBuild_isANoOp() {
        ShimBinary.install(dataRoot, HostInfo.detect());
        assertThat(ShimBinary.install(dataRoot, HostInfo.detect()).rewritten()).isFalse();
    }
}
