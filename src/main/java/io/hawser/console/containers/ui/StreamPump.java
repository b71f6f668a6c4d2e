package io.hawser.console.containers.ui;

import java.io.Closeable;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stream from a host (logs follow, stats, a terminal) on a thread of its own while a view shows it; stopping
 * closes the stream, which ends the read and the request on the agent.
 */
final class StreamPump {

    interface Reader {
        void run() throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(StreamPump.class);

    private final Closeable stream;
    private volatile boolean stopped;

    private StreamPump(Closeable stream) {
        this.stream = stream;
    }

    static StreamPump start(String name, Closeable stream, Reader reader) {
        StreamPump pump = new StreamPump(stream);
        Thread t = new Thread(() -> {
            try {
                reader.run();
            } catch (IOException | RuntimeException e) {
                if (!pump.stopped) {
                    log.debug("{} ended: {}", name, e.toString());
                }
            } finally {
                pump.close();
            }
        }, "view-" + name);
        t.setDaemon(true);
        t.start();
        return pump;
    }

    void stop() {
        stopped = true;
        close();
    }

    private void close() {
        try {
            stream.close();
        } catch (IOException e) {
            // closing a tunnel does not fail in a way worth telling
        }
    }
}
