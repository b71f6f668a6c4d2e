package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerStatusTest {

    private static final String ID = "a".repeat(64);

    @Test
    void wireNames_areDockerds() {
        assertThat(ContainerStatus.RESTARTING.wire()).isEqualTo("restarting");
        assertThat(ContainerStatus.parse("exited")).isEqualTo(ContainerStatus.EXITED);
    }

    @Test
    void transitions_followTheTable() {
        assertThat(ContainerStatus.CREATED.canMoveTo(ContainerStatus.RUNNING)).isTrue();
        assertThat(ContainerStatus.RUNNING.canMoveTo(ContainerStatus.PAUSED)).isTrue();
        assertThat(ContainerStatus.EXITED.canMoveTo(ContainerStatus.RESTARTING)).isTrue();
        assertThat(ContainerStatus.RUNNING.canMoveTo(ContainerStatus.CREATED)).isFalse();
        assertThat(ContainerStatus.RUNNING.canMoveTo(ContainerStatus.REMOVING)).isFalse();
        assertThat(ContainerStatus.PAUSED.canMoveTo(ContainerStatus.RESTARTING)).isFalse();
        assertThatThrownBy(() -> ContainerStatus.DEAD.checkMove(ContainerStatus.RUNNING))
                .hasMessage("illegal container state change dead -> running");
    }

    @Test
    void guards() {
        assertThat(ContainerStatus.CREATED.canStart()).isTrue();
        assertThat(ContainerStatus.RUNNING.canStart()).isFalse();
        assertThat(ContainerStatus.PAUSED.canStop()).isTrue();
        assertThat(ContainerStatus.EXITED.canStop()).isFalse();
        assertThat(ContainerStatus.PAUSED.hasProcess()).isTrue();
    }

    @Test
    void removal_refusedWhileRunningUnlessForced_withDockerdsMessages() {
        assertThatThrownBy(() -> ContainerStatus.RUNNING.checkRemovable(ID, false))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessage("You cannot remove a running container " + ID
                        + ". Stop the container before attempting removal or force remove");
        assertThatThrownBy(() -> ContainerStatus.PAUSED.checkRemovable(ID, false)).hasMessageContaining("Unpause and then stop");
        assertThatThrownBy(() -> ContainerStatus.REMOVING.checkRemovable(ID, true)).hasMessageContaining("already in progress");
        ContainerStatus.RUNNING.checkRemovable(ID, true);
        ContainerStatus.EXITED.checkRemovable(ID, false);
    }

    @Test
    void state_runningThenExited_keepsStartAndRecordsTheExit() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        ContainerState running = ContainerState.created().running(42, t0);
        assertThat(running.pid()).isEqualTo(42);
        ContainerState exited = running.exited(137, true, "", t0.plusSeconds(5));
        assertThat(exited.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(exited.pid()).isZero();
        assertThat(exited.oomKilled()).isTrue();
        assertThat(exited.startedAt()).isEqualTo(t0);
        assertThatThrownBy(() -> exited.to(ContainerStatus.PAUSED)).isInstanceOf(AgentException.class);
    }
}
