package io.hawser.agent.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Finds where the last N lines start across the open log files (oldest first) by reading backwards from
 * the end in blocks, so {@code --tail 10} of 200 MB reads a few KiB.
 */
final class TailLocator {

    /** A file index and byte offset in it. */
    record Position(int file, long offset) {}

    private TailLocator() {}

    static Position find(List<LineChannel> files, int lines) throws IOException {
        int last = files.size() - 1;
        if (last < 0) {
            return new Position(0, 0);
        }
        // The newest file may end in a line still being written: it is not one of the N.
        long lastEnd = endOfLastLine(files.get(last), files.get(last).channel().size());
        if (lines == 0) {
            return new Position(last, lastEnd);
        }
        int found = 0;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (int f = last; f >= 0; f--) {
            long end = f == last ? lastEnd : files.get(f).channel().size();
            if (end == 0) {
                continue;
            }
            // Scan [0, end - 1): the byte at end - 1 is the newline of the file's last line.
            long hi = end - 1;
            while (hi > 0) {
                long lo = Math.max(0, hi - buf.capacity());
                buf.clear().limit((int) (hi - lo));
                readFully(files.get(f), buf, lo);
                for (int i = (int) (hi - lo) - 1; i >= 0; i--) {
                    if (buf.get(i) == '\n' && ++found == lines) {
                        return new Position(f, lo + i + 1);
                    }
                }
                hi = lo;
            }
            if (++found == lines) { // the file's first line
                return new Position(f, 0);
            }
        }
        return new Position(0, 0);
    }

    private static long endOfLastLine(LineChannel ch, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - start));
            readFully(ch, buf, start);
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    private static void readFully(LineChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.channel().read(buf, pos + buf.position());
            if (n < 0) {
                break;
            }
        }
    }
}
