package io.hawser.agent.logs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Complete lines of one open log file, read forward from a position in 64 KiB blocks. A line still being
 * written (no {@code \n} yet) is held back until its end arrives. The open channel keeps reading the same
 * file (inode) after the writer renames it away, which is how a follower drains a rotated file.
 */
final class LineChannel implements Closeable {

    @FunctionalInterface
    interface LineHandler {
        /** A line without its {@code \n}; @return false to stop */
        boolean line(byte[] b, int off, int len) throws IOException;
    }

    private final FileChannel channel;
    private final Object fileKey;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private byte[] pending = new byte[256];
    private int pendingLen;
    private long position;

    private LineChannel(FileChannel channel, Object fileKey) {
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /** Opens {@code p}, or returns null when it does not exist. */
    static LineChannel openIfExists(Path p) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
        // The key of the file we opened: stat after open could name a newer file, but then the next rotation
        // check sees a different key at once and re-reads from the start of the newer file, losing nothing.
        return new LineChannel(ch, Files.readAttributes(p, BasicFileAttributes.class).fileKey());
    }

    /** The (device, inode) key of the file now at {@code p}, or null when there is none. */
    static Object currentKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    Object fileKey() {
        return fileKey;
    }

    FileChannel channel() {
        return channel;
    }

    void seek(long pos) {
        position = pos;
        pendingLen = 0;
    }

    /** A file truncated in place (rotation with max-file 1) is read again from its start. */
    void restartIfTruncated() throws IOException {
        if (channel.size() < position) {
            seek(0);
        }
    }

    /** Hands every complete line available now to {@code h}; @return false when it asked to stop. */
    boolean drain(LineHandler h) throws IOException {
        while (true) {
            buf.clear();
            int n = channel.read(buf, position);
            if (n <= 0) {
                return true;
            }
            position += n;
            byte[] a = buf.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] != '\n') {
                    continue;
                }
                boolean go;
                if (pendingLen > 0) {
                    append(a, start, i - start);
                    go = h.line(pending, 0, pendingLen);
                    pendingLen = 0;
                } else {
                    go = h.line(a, start, i - start);
                }
                start = i + 1;
                if (!go) {
                    return false;
                }
            }
            append(a, start, n - start);
        }
    }

    private void append(byte[] a, int off, int len) {
        if (pendingLen + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + len));
        }
        System.arraycopy(a, off, pending, pendingLen, len);
        pendingLen += len;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
