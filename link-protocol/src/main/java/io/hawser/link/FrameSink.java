package io.hawser.link;

import java.io.IOException;

/** Where a tunnel sends its frames: the link's WebSocket, one whole frame per call, thread-safe. */
@FunctionalInterface
public interface FrameSink {
    void send(Frame frame) throws IOException;
}
