package io.hawser.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libc through jnr-ffi on the real kernel (as root): an overlay mount as the agent makes them, kill(2). */
class JnrSyscallsIT {

    @TempDir
    Path tmp;

    private final Syscalls sys = new JnrSyscalls();

    @AfterEach
    void noMountLeft() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String target = line.split(" ")[1];
            if (target.startsWith(tmp.toString())) {
                sys.umount2(target, Syscalls.MNT_DETACH);
            }
        }
        assertThat(Files.readAllLines(Path.of("/proc/self/mounts"))).noneMatch(l -> l.contains(tmp.toString()));
    }

    @Test
    void overlayMount_mergesLowerAndUpper_andUnmounts() throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path merged = Files.createDirectories(tmp.resolve("merged"));
        Files.writeString(lower.resolve("from-image"), "image");

        sys.mount("overlay", merged.toString(), "overlay", Syscalls.MS_NODEV,
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
        try {
            assertThat(Files.readString(merged.resolve("from-image"))).isEqualTo("image");
            Files.writeString(merged.resolve("written"), "container");
            assertThat(upper.resolve("written")).hasContent("container");
            assertThat(lower.resolve("written")).doesNotExist();
        } finally {
            sys.umount2(merged.toString(), 0);
        }
        assertThat(merged.resolve("from-image")).doesNotExist();
    }

    @Test
    void failedMount_reportsTheErrnoByName() {
        assertThatThrownBy(() -> sys.mount("none", tmp.resolve("missing").toString(), "tmpfs", 0, null))
                .isInstanceOfSatisfying(SyscallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Syscalls.ENOENT);
                    assertThat(e.getMessage()).isEqualTo("mount tmpfs none on " + tmp.resolve("missing")
                            + " failed: ENOENT (No such file or directory)");
                });
    }

    @Test
    void kill_signalsAProcess_andProcessExistsFollowsIt() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "1000").start();
        try {
            int pid = (int) sleep.pid();
            assertThat(sys.processExists(pid)).isTrue();
            sys.kill(pid, 9);
            assertThat(sleep.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(sleep.exitValue()).isEqualTo(128 + 9);
            assertThat(sys.processExists(pid)).isFalse();
            assertThatThrownBy(() -> sys.kill(pid, 0)).isInstanceOfSatisfying(SyscallException.class,
                    e -> assertThat(e.errno()).isEqualTo(Syscalls.ESRCH));
        } finally {
            sleep.destroyForcibly();
        }
    }
}
