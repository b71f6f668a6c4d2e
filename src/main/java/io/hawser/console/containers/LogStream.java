package io.hawser.console.containers;

import io.hawser.console.link.ApiStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The payload of a logs (or attach) stream without Docker's stream framing: 8-byte headers ({@code stream, 0, 0, 0,
 * size as 4 bytes big-endian}) before each chunk when the agent says {@code application/vnd.docker.multiplexed-stream},
 * raw bytes otherwise (a container with a TTY).
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerAttach">
 *      Engine API: stream format</a>
 */
public final class LogStream {

    /** Receives the payload as it arrives. */
    public interface Chunks {
        void accept(byte[] buffer, int length) throws IOException;
    }

    private LogStream() {
    }

    public static boolean multiplexed(ApiStream stream) {
        return stream.head().header("Content-Type").map(t -> t.startsWith("application/vnd.docker.multiplexed-stream"))
                .orElse(false);
    }

    /** Copies the payload to {@code out} chunk by chunk until the stream ends. */
    public static void copy(ApiStream stream, Chunks out) throws IOException {
        InputStream in = stream.body();
        byte[] buffer = new byte[16 * 1024];
        if (!multiplexed(stream)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (n > 0) {
                    out.accept(buffer, n);
                }
            }
            return;
        }
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[8];
        while (true) {
            try {
                data.readFully(header);
            } catch (EOFException end) {
                return;
            }
            int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            while (size > 0) {
                int n = data.read(buffer, 0, Math.min(buffer.length, size));
                if (n < 0) {
                    return;
                }
                out.accept(buffer, n);
                size -= n;
            }
        }
    }

    /** Copies the payload as lines of UTF-8 text (without their line ends); a last line without an end counts too. */
    public static void lines(ApiStream stream, Consumer<String> lines) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        copy(stream, (buffer, length) -> {
            for (int i = 0; i < length; i++) {
                if (buffer[i] == '\n') {
                    lines.accept(text(line));
                    line.reset();
                } else {
                    line.write(buffer[i]);
                }
            }
        });
        if (line.size() > 0) {
            lines.accept(text(line));
        }
    }

    private static String text(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
