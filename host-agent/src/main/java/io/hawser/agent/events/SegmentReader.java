package io.hawser.agent.events;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;

/** Reads journal lines from a segment, forward, up to a limit; bad lines (torn writes) are skipped. */
final class SegmentReader {

    @FunctionalInterface
    interface EventHandler {
        /** @return false to stop reading */
        boolean accept(Event e) throws IOException;
    }

    private SegmentReader() {}

    /** @return false when the handler asked to stop */
    static boolean read(FileChannel ch, long limit, EventHandler handler) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        byte[] line = new byte[1024];
        int lineLen = 0;
        long pos = 0;
        while (pos < limit) {
            buf.clear().limit((int) Math.min(buf.capacity(), limit - pos));
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            pos += n;
            for (int i = 0; i < n; i++) {
                byte b = buf.get(i);
                if (b != '\n') {
                    if (lineLen == line.length) {
                        line = Arrays.copyOf(line, line.length * 2);
                    }
                    line[lineLen++] = b;
                    continue;
                }
                Event e = parseOrNull(line, lineLen);
                lineLen = 0;
                if (e != null && !handler.accept(e)) {
                    return false;
                }
            }
        }
        return true;
    }

    static Instant firstTime(Path p) throws IOException {
        if (!Files.exists(p)) {
            return null;
        }
        Instant[] first = new Instant[1];
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            read(ch, ch.size(), e -> {
                first[0] = e.time();
                return false;
            });
        }
        return first[0];
    }

    /** The length of {@code ch} up to and including its last line end. */
    static long endOfLastLine(FileChannel ch, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - start));
            ch.read(buf, start);
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    private static Event parseOrNull(byte[] line, int len) {
        if (len == 0) {
            return null;
        }
        try {
            return EventJson.parse(line, 0, len);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do: a read-only channel
        }
    }
}
