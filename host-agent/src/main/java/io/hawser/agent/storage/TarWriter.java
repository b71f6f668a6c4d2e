package io.hawser.agent.storage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal in-memory ustar/PAX writer: enough to build small archives (the opaque-xattr archive; tests
 * build hostile layers with it). Names must fit ustar's 100 bytes unless a PAX path record precedes them.
 */
public final class TarWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public TarWriter file(String name, int mode, byte[] content) {
        header(name, '0', "", mode, content.length, 0, 0);
        out.writeBytes(content);
        pad(content.length);
        return this;
    }

    public TarWriter directory(String name, int mode) {
        return header(name, '5', "", mode, 0, 0, 0);
    }

    public TarWriter symlink(String name, String target) {
        return header(name, '2', target, 0777, 0, 0, 0);
    }

    public TarWriter hardlink(String name, String target) {
        return header(name, '1', target, 0644, 0, 0, 0);
    }

    public TarWriter device(String name, boolean block, int major, int minor) {
        return header(name, block ? '4' : '3', "", 0600, 0, major, minor);
    }

    public TarWriter fifo(String name) {
        return header(name, '6', "", 0600, 0, 0, 0);
    }

    /** A PAX 'x' header whose one record applies to the next entry. */
    public TarWriter paxHeader(String name, String key, String value) {
        byte[] record = paxRecord(key, value);
        header("PaxHeaders/" + (name.length() > 80 ? name.substring(0, 80) : name), 'x', "", 0644, record.length, 0, 0);
        out.writeBytes(record);
        pad(record.length);
        return this;
    }

    /** A GNU 'L' long-name record for the next entry. */
    public TarWriter gnuLongName(String name) {
        byte[] data = (name + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink", 'L', "", 0644, data.length, 0, 0);
        out.writeBytes(data);
        pad(data.length);
        return this;
    }

    /** Any header; the name is truncated to ustar's 100 bytes (use a PAX or GNU record for longer). */
    public TarWriter header(String name, char type, String link, int mode, long size, int major, int minor) {
        byte[] h = new byte[TarReader.BLOCK];
        put(h, 0, 100, name);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 1_700_000_000L);
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        out.writeBytes(h);
        return this;
    }

    /** Raw bytes, for tests that need a corrupt or truncated stream. */
    public TarWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** The archive with its two end-of-archive blocks. */
    public byte[] finish() {
        out.writeBytes(new byte[2 * TarReader.BLOCK]);
        return out.toByteArray();
    }

    static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + Integer.toString(len).length();
        if (Integer.toString(total).length() != Integer.toString(len).length()) {
            total++;
        }
        return (total + body).getBytes(StandardCharsets.UTF_8);
    }

    private void pad(long size) {
        out.writeBytes(new byte[(int) ((TarReader.BLOCK - size % TarReader.BLOCK) % TarReader.BLOCK)]);
    }

    private static void put(byte[] h, int offset, int length, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, offset, Math.min(b.length, length));
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = String.format("%0" + (length - 1) + "o", value);
        put(h, offset, length - 1, s);
    }
}
