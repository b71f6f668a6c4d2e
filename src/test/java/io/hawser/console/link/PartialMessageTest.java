package io.hawser.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PartialMessageTest {

    @Test
    void joinsThePartsInOrder() {
        AgentLinkHandler.PartialMessage m = new AgentLinkHandler.PartialMessage();
        assertThat(m.add(ByteBuffer.wrap("inven".getBytes(StandardCharsets.UTF_8)), 100)).isTrue();
        assertThat(m.add(ByteBuffer.wrap("tory".getBytes(StandardCharsets.UTF_8)), 100)).isTrue();
        ByteBuffer whole = m.whole();
        byte[] bytes = new byte[whole.remaining()];
        whole.get(bytes);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("inventory");
    }

    @Test
    void refusesAMessageOverTheLimit() {
        AgentLinkHandler.PartialMessage m = new AgentLinkHandler.PartialMessage();
        assertThat(m.add(ByteBuffer.allocate(60), 100)).isTrue();
        assertThat(m.add(ByteBuffer.allocate(40), 100)).isTrue();
        assertThat(m.add(ByteBuffer.allocate(1), 100)).isFalse();
    }
}
