package io.hawser.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class AttachFrameTest {

    @Test
    void read_parsesDockersMultiplexedFrames_untilEof() throws Exception {
        InputStream in = new ByteArrayInputStream(new byte[] {1, 0, 0, 0, 0, 0, 0, 2, 'h', 'i', 2, 0, 0, 0, 0, 0, 0, 0});

        AttachFrame first = AttachFrame.read(in);
        assertThat(first.stream()).isEqualTo(AttachFrame.STDOUT);
        assertThat(first.payload()).containsExactly('h', 'i');
        AttachFrame empty = AttachFrame.read(in);
        assertThat(empty.stream()).isEqualTo(AttachFrame.STDERR);
        assertThat(empty.payload()).isEmpty();
        assertThat(AttachFrame.read(in)).isNull();
    }

    @Test
    void read_refusesATruncatedFrame() {
        assertThatThrownBy(() -> AttachFrame.read(new ByteArrayInputStream(new byte[] {1, 0, 0, 0, 0, 0, 0, 5, 'a'})))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> AttachFrame.read(new ByteArrayInputStream(new byte[] {1, 0, 0})))
                .isInstanceOf(EOFException.class);
    }
}
