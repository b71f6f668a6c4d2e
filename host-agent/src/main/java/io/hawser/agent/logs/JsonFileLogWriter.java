package io.hawser.agent.logs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * Writes a container's log in Docker's json-file format, with dockerd's rotation. In production the C shim
 * writes the logs (so output never waits for the agent); this class is the reference it must match, and
 * what tests use. The rules, which readers here ({@link JsonFileLogReader}) and the docker CLI rely on:
 *
 * <h2>Files</h2>
 * The current file is {@code <dir>/<container id>-json.log}, mode 0640, opened {@code O_WRONLY|O_APPEND|O_CREAT}
 * (an existing file is appended to, e.g. after a restart). Rotated files are {@code <file>.1} (newest) up to
 * {@code <file>.<max-file - 1>} (oldest).
 *
 * <h2>Lines</h2>
 * One entry per line, one {@code write(2)} per line so a reader never sees half an entry except at the
 * very end while it is written:
 * <pre>{"log":"TEXT","stream":"stdout|stderr","time":"TIME"}\n</pre>
 * with exactly these three fields in this order and no spaces.
 * <ul>
 * <li>TEXT is the container's bytes, escaped: {@code "} and {@code \} as {@code \"} and {@code \\};
 *     {@code \n}, {@code \r}, {@code \t} as those two-character escapes; every other byte below 0x20, and
 *     {@code <}, {@code >}, {@code &}, as <code>&#92;u00XX</code> with lower-case hex; U+2028 and U+2029 as
 *     <code>&#92;u2028</code>, <code>&#92;u2029</code>; valid UTF-8 sequences (2 to 4 bytes, no overlongs, no surrogates,
 *     max U+10FFFF) copied as they are; each byte that does not start a valid sequence as <code>&#92;ufffd</code>.
 *     (Readers accept any JSON escaping; this is what dockerd writes, so the files are byte-identical.)
 * <li>TIME is when the output was read, UTC, RFC 3339 with up to 9 fraction digits, trailing zeros
 *     dropped, no dot when the fraction is 0 (Go's {@code time.RFC3339Nano}):
 *     {@code 2026-11-27T22:12:20.1234567Z}, {@code 2026-11-27T22:12:20Z}.
 * </ul>
 *
 * <h2>Entries</h2>
 * As dockerd's copier (daemon/logger/copier.go): the output of each stream is split after every
 * {@code \n}, the {@code \n} kept at the end of TEXT. A run of 16384 bytes without {@code \n} becomes an
 * entry of its own without one (a partial entry), as does whatever is left when the stream closes. Readers
 * pass partial entries on verbatim.
 *
 * <h2>Rotation</h2>
 * Only when max-size is set ({@code --log-opt max-size}; unset means never). Before writing an entry, if
 * the current file already holds {@code >= max-size} bytes (so a file may exceed max-size by one entry):
 * <ul>
 * <li>max-file 1 (the default): truncate the current file to 0 and write on.
 * <li>max-file N &gt; 1: delete {@code <file>.<N-1>}; rename {@code <file>.<i-1>} to {@code <file>.<i>} for
 *     i = N-1 down to 2 (a missing file is skipped); rename {@code <file>} to {@code <file>.1}; create a new
 *     {@code <file>} (mode 0640) and write the entry there.
 * </ul>
 * Readers that follow the log notice a rotation by the current file's inode changing, and a truncation
 * by its size shrinking.
 */
public final class JsonFileLogWriter implements Closeable {

    private final Path file;
    private final long maxSize;
    private final int maxFiles;
    private FileChannel channel;
    private long size;

    /**
     * @param maxSize bytes at which the file is rotated, or 0 or less for never
     * @param maxFiles 1 or more: how many files (current plus rotated) exist at most
     */
    public JsonFileLogWriter(Path file, long maxSize, int maxFiles) throws IOException {
        if (maxFiles < 1) {
            throw new IllegalArgumentException("max-file must be at least 1: " + maxFiles);
        }
        this.file = file;
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        this.channel = open(file);
        this.size = channel.size();
    }

    public Path file() {
        return file;
    }

    /** Writes one entry, rotating first when the file is full. */
    public synchronized void write(LogStream stream, Instant time, byte[] text) throws IOException {
        byte[] line = JsonLogLine.encode(stream, time, text, 0, text.length);
        if (maxSize > 0 && size >= maxSize) {
            rotate();
        }
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        size += line.length;
    }

    private void rotate() throws IOException {
        if (maxFiles == 1) {
            channel.truncate(0);
            size = 0;
            return;
        }
        channel.close();
        Files.deleteIfExists(rotated(maxFiles - 1));
        for (int i = maxFiles - 1; i > 1; i--) {
            if (Files.exists(rotated(i - 1))) {
                Files.move(rotated(i - 1), rotated(i), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
        channel = open(file);
        size = 0;
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private static FileChannel open(Path p) throws IOException {
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
        return ch;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
