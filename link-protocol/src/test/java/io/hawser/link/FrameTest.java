package io.hawser.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void encode_writesTypeChannelBigEndianThenPayload() {
        ByteBuffer b = new Frame(Frame.Type.DATA, 0x01020304, "hi".getBytes(StandardCharsets.US_ASCII)).encode();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        assertThat(bytes).containsExactly(2, 1, 2, 3, 4, 'h', 'i');
    }

    @Test
    void decode_roundTripsEveryType() {
        for (Frame.Type type : Frame.Type.values()) {
            int channel = type == Frame.Type.CONTROL ? 0 : Integer.MAX_VALUE;
            Frame f = new Frame(type, channel, new byte[] {9, 8, 7, 6});
            assertThat(Frame.decode(f.encode())).isEqualTo(f);
        }
        assertThat(Frame.decode(Frame.window(5, 65536).encode()).credit()).isEqualTo(65536);
    }

    @Test
    void decode_refusesShortUnknownAndMisplacedFrames() {
        assertThatThrownBy(() -> Frame.decode(ByteBuffer.wrap(new byte[] {2, 0, 0, 0}))).hasMessageContaining("shorter than its header");
        assertThatThrownBy(() -> Frame.decode(ByteBuffer.wrap(new byte[] {42, 0, 0, 0, 1}))).hasMessage("unknown frame type 42");
        assertThatThrownBy(() -> Frame.decode(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1}))).hasMessage("CONTROL frame on channel 1");
        assertThatThrownBy(() -> Frame.decode(ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 0}))).hasMessage("DATA frame on channel 0");
        assertThatThrownBy(() -> Frame.decode(ByteBuffer.wrap(new byte[] {2, (byte) 0x80, 0, 0, 0}))).hasMessageContaining("negative channel");
    }
}
