package io.hawser.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class DetachKeysTest {

    @Test
    void defaultSequence_detachesAndDropsItsBytes() {
        DetachKeys k = DetachKeys.parse("");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(k.filter(new byte[] {'a', 16}, 2, out)).isFalse();
        assertThat(out.toByteArray()).containsExactly('a'); // ctrl-p held back
        assertThat(k.filter(new byte[] {17, 'b'}, 2, out)).isTrue();
        assertThat(out.toByteArray()).containsExactly('a');
    }

    @Test
    void brokenSequence_passesTheHeldBytesOn() {
        DetachKeys k = DetachKeys.parse("ctrl-p,ctrl-q");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(k.filter(new byte[] {16, 'x', 16, 16, 17}, 5, out)).isTrue();
        assertThat(out.toByteArray()).containsExactly(16, 'x', 16);
    }

    @Test
    void customKeys_asDockerParsesThem() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(DetachKeys.parse("ctrl-a,x").filter(new byte[] {1, 'x'}, 2, out)).isTrue();
        assertThat(DetachKeys.parse("ctrl-]").filter(new byte[] {29}, 1, out)).isTrue();
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1")).isInstanceOf(AgentException.class)
                .hasMessage("Invalid detach keys (ctrl-1) provided");
        assertThatThrownBy(() -> DetachKeys.parse("ab")).isInstanceOf(AgentException.class);
    }
}
