package io.hawser.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordingSyscallsTest {

    @Test
    void records_inOrder_andFailsOnlyTheScriptedCallOnce() {
        RecordingSyscalls sys = new RecordingSyscalls().failNext("umount2 /m", Syscalls.EBUSY);

        sys.mount("overlay", "/m", "overlay", Syscalls.MS_NODEV, "lowerdir=/a");
        assertThatThrownBy(() -> sys.umount2("/m", 0)).isInstanceOfSatisfying(SyscallException.class,
                e -> assertThat(e.errno()).isEqualTo(Syscalls.EBUSY));
        sys.umount2("/m", Syscalls.MNT_DETACH);

        assertThat(sys.calls()).containsExactly("mount overlay overlay /m flags=4 data=lowerdir=/a", "umount2 /m flags=0",
                "umount2 /m flags=2");
    }

    @Test
    void kill_ofAPidNotAlive_isEsrch() {
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.livePids.add(42);

        sys.kill(42, 15);
        assertThatThrownBy(() -> sys.kill(43, 15)).isInstanceOfSatisfying(SyscallException.class,
                e -> assertThat(e.errno()).isEqualTo(Syscalls.ESRCH));
        assertThat(sys.processExists(42)).isTrue();
    }
}
