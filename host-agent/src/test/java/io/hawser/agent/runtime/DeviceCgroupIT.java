package io.hawser.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.CgroupLayout;
import io.hawser.agent.cgroups.CgroupPath;
import io.hawser.agent.cgroups.CgroupVersion;
import io.hawser.agent.cgroups.Resources;
import io.hawser.agent.cgroups.detect.CgroupDrivers;
import io.hawser.agent.sys.HostInfo;
import io.hawser.agent.sys.ShimBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container with Docker's default capabilities (CAP_MKNOD included) in a cgroup made by the driver: it
 * may create a node of the host's disk, but opening it is refused by the device policy, while the
 * default devices keep working.
 */
class DeviceCgroupIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private CgroupDriver driver;
    private CgroupPath parent;
    private ShimProcess shim;
    private String loop;

    @AfterEach
    void cleanUp() throws Exception {
        if (shim != null) {
            shim.awaitExit(DEADLINE);
        }
        if (driver != null && driver.exists(parent)) {
            Cgroup all = driver.open(parent);
            all.killAll();
            all.destroy();
        }
        if (loop != null) {
            assertThat(new ProcessBuilder("losetup", "-d", loop).inheritIO().start().waitFor()).isZero();
        }
        assertThat(driver == null || !driver.exists(parent)).as("cgroup removed").isTrue();
    }

    /** A loop device over a file holding a marker: a host block device whose content the test knows. */
    private String hostDisk() throws Exception {
        Path image = tmp.resolve("disk.img");
        Files.write(image, java.util.Arrays.copyOf("HOSTDISK".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 1 << 20));
        Process p = new ProcessBuilder("losetup", "-f", "--show", image.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        assertThat(p.waitFor()).as("losetup: %s", out).isZero();
        loop = out;
        assertThat(loop).matches("/dev/loop\\d+");
        return "7 " + loop.substring("/dev/loop".length());
    }

    @Test
    void hostBlockDevice_canBeCreatedButNotOpened_andDevNullStillWorks() throws Exception {
        CgroupLayout layout = CgroupLayout.fromProc();
        assumeTrue(layout.version() == CgroupVersion.V1, "v1 device cgroup on this kernel");
        driver = CgroupDrivers.forLayout(layout);
        parent = CgroupPath.parse("hawser-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        Path dir = Files.createDirectories(tmp.resolve("state"));
        ShimLauncher launcher = new ShimLauncher(ShimBinary.install(tmp, HostInfo.detect()).path());
        ContainerSpec spec = ContainerSpec.builder(rootfs, dir.resolve("c-json.log"), List.of("sh", "-c",
                        "mknod /dev/x b " + hostDisk() + " && echo mknod-ok; head -c8 /dev/x; echo \" head=$?\";"
                                + " echo hi > /dev/null && echo null-ok"))
                .env(List.of("PATH=/bin")).build();

        shim = launcher.launch(dir, spec, pid -> driver.create(parent.child("c"), Resources.none()).addProcess(pid));
        ExitStatus exit = shim.awaitExit(DEADLINE);

        List<LogRecord> log = LogRecord.readAll(dir.resolve("c-json.log"));
        String out = log.stream().filter(r -> r.stream().equals("stdout")).map(LogRecord::log).collect(Collectors.joining());
        String err = log.stream().filter(r -> r.stream().equals("stderr")).map(LogRecord::log).collect(Collectors.joining());
        assertThat(exit.code()).isZero();
        assertThat(out).isEqualTo("mknod-ok\n head=1\nnull-ok\n");
        assertThat(err).contains("Operation not permitted");
    }
}
