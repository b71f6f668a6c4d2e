package io.hawser.agent.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A streaming tar writer (ustar headers, a PAX 'x' record before an entry whose name, link name, size, ids
 * or sub-second mtime do not fit ustar), as Go's archive/tar writes layers for dockerd. Used for layer
 * diffs ({@code docker commit}), {@code docker save}, {@code export} and {@code cp}. Not thread-safe.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html">pax interchange format</a>
 */
public final class TarOutput implements AutoCloseable {

    private static final int BLOCK = TarReader.BLOCK;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final int MAX_OCTAL_7 = 07777777;

    private final OutputStream out;
    private boolean finished;

    public TarOutput(OutputStream out) {
        this.out = out;
    }

    public void directory(String name, int mode, int uid, int gid, Instant mtime) throws IOException {
        header(name.endsWith("/") ? name : name + "/", '5', "", mode, uid, gid, 0, mtime, 0, 0);
    }

    public void symlink(String name, String target, int uid, int gid, Instant mtime) throws IOException {
        header(name, '2', target, 0777, uid, gid, 0, mtime, 0, 0);
    }

    public void hardlink(String name, String target, int mode, int uid, int gid, Instant mtime) throws IOException {
        header(name, '1', target, mode, uid, gid, 0, mtime, 0, 0);
    }

    public void device(String name, boolean block, int major, int minor, int mode, int uid, int gid, Instant mtime) throws IOException {
        header(name, block ? '4' : '3', "", mode, uid, gid, 0, mtime, major, minor);
    }

    public void fifo(String name, int mode, int uid, int gid, Instant mtime) throws IOException {
        header(name, '6', "", mode, uid, gid, 0, mtime, 0, 0);
    }

    /**
     * A regular file of exactly {@code size} bytes from {@code content}. A file that shrank while being
     * read is padded with zeros and one that grew is cut at {@code size}, as GNU tar does, so the archive
     * stays well formed when a running container writes to it.
     */
    public void file(String name, int mode, int uid, int gid, Instant mtime, long size, InputStream content) throws IOException {
        header(name, '0', "", mode, uid, gid, size, mtime, 0, 0);
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = content.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            left -= n;
        }
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            java.util.Arrays.fill(buf, 0, n, (byte) 0);
            out.write(buf, 0, n);
            left -= n;
        }
        pad(size);
    }

    /** A regular file from bytes in memory. */
    public void file(String name, int mode, Instant mtime, byte[] content) throws IOException {
        file(name, mode, 0, 0, mtime, content.length, new java.io.ByteArrayInputStream(content));
    }

    /** The two zero blocks that end an archive; the stream is flushed, not closed. */
    public void finish() throws IOException {
        if (!finished) {
            finished = true;
            out.write(new byte[2 * BLOCK]);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void header(String name, char type, String link, int mode, int uid, int gid, long size, Instant mtime,
                        int major, int minor) throws IOException {
        StringBuilder pax = new StringBuilder();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        String ustarName = name;
        String prefix = "";
        if (nameBytes.length > 100 || !ascii(name)) {
            int split = splitForUstar(name);
            if (split > 0 && ascii(name)) {
                prefix = name.substring(0, split);
                ustarName = name.substring(split + 1);
            } else {
                pax.append(new String(TarWriter.paxRecord("path", name), StandardCharsets.UTF_8));
                ustarName = truncate(name, 100);
            }
        }
        if (link.getBytes(StandardCharsets.UTF_8).length > 100 || !ascii(link)) {
            pax.append(new String(TarWriter.paxRecord("linkpath", link), StandardCharsets.UTF_8));
            link = truncate(link, 100);
        }
        if (size > MAX_OCTAL_11) {
            pax.append(new String(TarWriter.paxRecord("size", Long.toString(size)), StandardCharsets.UTF_8));
        }
        if (uid < 0 || uid > MAX_OCTAL_7) {
            pax.append(new String(TarWriter.paxRecord("uid", Integer.toUnsignedString(uid)), StandardCharsets.UTF_8));
        }
        if (gid < 0 || gid > MAX_OCTAL_7) {
            pax.append(new String(TarWriter.paxRecord("gid", Integer.toUnsignedString(gid)), StandardCharsets.UTF_8));
        }
        long seconds = Math.max(0, mtime.getEpochSecond());
        if (!pax.isEmpty()) {
            byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
            writeHeader(truncate("PaxHeaders.0/" + ustarName, 100), "", 'x', "", 0644, 0, 0, records.length, seconds, 0, 0);
            out.write(records);
            pad(records.length);
        }
        writeHeader(ustarName, prefix, type, link, mode, fits7(uid), fits7(gid), size > MAX_OCTAL_11 ? 0 : size, seconds, major, minor);
    }

    private void writeHeader(String name, String prefix, char type, String link, int mode, int uid, int gid, long size,
                             long mtime, int major, int minor) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.min(mtime, MAX_OCTAL_11));
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        octal(h, 329, 8, Math.min(major, MAX_OCTAL_7));
        octal(h, 337, 8, Math.min(minor, MAX_OCTAL_7));
        put(h, 345, 155, prefix);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        out.write(h);
    }

    /** Where a long ASCII name splits into ustar's prefix (155) and name (100) at a slash; -1 if nowhere. */
    private static int splitForUstar(String name) {
        for (int i = Math.min(name.length() - 1, 155); i > 0; i--) {
            if (name.charAt(i) == '/' && name.length() - i - 1 <= 100 && name.length() - i - 1 > 0) {
                return i;
            }
        }
        return -1;
    }

    private static int fits7(int id) {
        return id < 0 || id > MAX_OCTAL_7 ? 0 : id;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String s, int bytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= bytes ? s : new String(b, 0, bytes, StandardCharsets.US_ASCII).replaceAll("[^\\x20-\\x7e]", "_");
    }

    private void pad(long size) throws IOException {
        int n = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (n > 0) {
            out.write(new byte[n]);
        }
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, offset, Math.min(b.length, length));
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        put(h, offset, length - 1, String.format("%0" + (length - 1) + "o", value));
    }
}
