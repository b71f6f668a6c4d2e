package io.hawser.agent.storage;

import io.hawser.agent.common.AgentException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a tar stream: ustar headers, GNU long names ('L', 'K') and PAX extended headers ('x') for path,
 * linkpath, size and mtime. Everything read is untrusted, so header checksums are verified, numbers are
 * parsed strictly and the extension records are bounded in size.
 *
 * <p>Usage: {@code next()} returns the next entry or null at the end; {@link #content()} is that
 * entry's data (skipped automatically if unread when {@code next()} is called again).
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html">pax (ustar and pax formats)</a>
 * @see <a href="https://www.gnu.org/software/tar/manual/html_node/Standard.html">GNU tar format</a>
 */
public final class TarReader {

    static final int BLOCK = 512;
    /**
     * Far above any real path; bounds memory for the 'L', 'K', 'x' and 'g' headers before one entry, all
     * together: each one alone within the bound, repeated 400 times, used to exhaust the agent's heap.
     */
    static final int MAX_EXTENSION_BYTES = 1 << 20;
    /** The PAX keys a layer needs; any other record is dropped as it is read, never kept. */
    private static final java.util.Set<String> PAX_KEYS = java.util.Set.of("path", "linkpath", "size", "mtime", "uid", "gid");
    /** PAX numbers: at most 19 digits (a long), no sign, no exponent (so no BigDecimal blow-up). */
    private static final java.util.regex.Pattern PAX_INTEGER = java.util.regex.Pattern.compile("[0-9]{1,19}");
    /** PAX times as Go's parsePAXTime reads them, with at most 9 fraction digits (nanoseconds). */
    private static final java.util.regex.Pattern PAX_TIME = java.util.regex.Pattern.compile("(-?)([0-9]{1,19})(?:\\.([0-9]{1,9}))?");

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private long remaining;
    private long padding;
    private final InputStream content = new ContentStream();

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive (two zero blocks, or one zero block then EOF). */
    public TarEntry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        String longLink = null;
        Map<String, String> pax = new HashMap<>();
        long extensionBytes = 0;
        while (true) {
            if (!readBlock(header, true)) {
                throw invalid("the archive ends without its end-of-archive blocks");
            }
            if (isZero(header)) {
                // End of archive; a second zero block is expected but some writers stop after one.
                return null;
            }
            verifyChecksum();
            char flag = (char) (header[156] & 0xff);
            long size = number(124, 12, "size");
            if (flag == 'L' || flag == 'K' || flag == 'x' || flag == 'g') {
                extensionBytes += size;
                if (size < 0 || extensionBytes > MAX_EXTENSION_BYTES) {
                    throw invalid("the extension headers before one entry exceed the " + MAX_EXTENSION_BYTES + " bytes allowed");
                }
            }
            switch (flag) {
                case 'L' -> longName = cString(readExtension(size, "GNU long name"));
                case 'K' -> longLink = cString(readExtension(size, "GNU long link name"));
                case 'x' -> PaxRecords.parse(readExtension(size, "PAX header")).forEach((k, v) -> {
                    if (PAX_KEYS.contains(k)) {
                        pax.put(k, v);
                    }
                });
                case 'g' -> skipFully(size + pad(size)); // global defaults: nothing a layer needs
                default -> {
                    return entry(flag, size, longName, longLink, pax);
                }
            }
        }
    }

    /** The current entry's content; reading stops at its end. */
    public InputStream content() {
        return content;
    }

    private TarEntry entry(char flag, long headerSize, String longName, String longLink, Map<String, String> pax) throws IOException {
        String name = longName != null ? longName : ustarName();
        String link = longLink != null ? longLink : string(157, 100);
        name = pax.getOrDefault("path", name);
        link = pax.getOrDefault("linkpath", link);
        long size = pax.containsKey("size") ? paxLong(pax.get("size"), "size") : headerSize;
        Instant mtime = pax.containsKey("mtime") ? paxTime(pax.get("mtime")) : Instant.ofEpochSecond(number(136, 12, "mtime"));
        int uid = pax.containsKey("uid") ? (int) paxLong(pax.get("uid"), "uid") : (int) number(108, 8, "uid");
        int gid = pax.containsKey("gid") ? (int) paxLong(pax.get("gid"), "gid") : (int) number(116, 8, "gid");
        TarEntry.Type type = switch (flag) {
            case '0', '\0', '7' -> TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            default -> throw invalid("tar entry '" + name + "' has unsupported type '" + printable(flag) + "'");
        };
        // Whatever size the header gives is skipped, but only regular files have content: a link's or a
        // directory's (old GNU dumpdir) data is never written anywhere.
        remaining = size;
        padding = pad(size);
        return new TarEntry(name, type, link, (int) number(100, 8, "mode") & 07777, uid, gid,
                type == TarEntry.Type.FILE ? size : 0, mtime,
                (int) number(329, 8, "devmajor"), (int) number(337, 8, "devminor"));
    }

    private String ustarName() {
        String name = string(0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
        String prefix = ustar ? string(345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private byte[] readExtension(long size, String what) throws IOException {
        if (size < 0 || size > MAX_EXTENSION_BYTES) {
            throw invalid(what + " of " + size + " bytes is larger than the " + MAX_EXTENSION_BYTES + " allowed");
        }
        byte[] data = new byte[(int) size];
        readFully(data);
        skipFully(pad(size));
        return data;
    }

    private void verifyChecksum() {
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        for (int i = 0; i < BLOCK; i++) {
            unsigned += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (stored != unsigned) {
            throw invalid("tar header checksum mismatch (is this a tar archive?)");
        }
    }

    /** An octal field (NUL or space terminated), or GNU base-256 when the first byte has its high bit set. */
    private long number(int offset, int length, String field) {
        if ((header[offset] & 0x80) != 0) {
            if ((header[offset] & 0x40) != 0) {
                throw invalid("tar header field " + field + " is negative");
            }
            long value = header[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw invalid("tar header field " + field + " overflows");
                }
                value = (value << 8) | (header[offset + i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
            int d = header[i] - '0';
            if (d < 0 || d > 7) {
                throw invalid("tar header field " + field + " is not an octal number");
            }
            if (value > (Long.MAX_VALUE >> 3)) {
                throw invalid("tar header field " + field + " overflows");
            }
            value = value * 8 + d;
        }
        return value;
    }

    private String string(int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static long paxLong(String value, String key) {
        try {
            if (!PAX_INTEGER.matcher(value).matches()) {
                throw new NumberFormatException();
            }
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid("PAX record " + key + " is not a number: '" + abbreviate(value) + "'");
        }
    }

    /**
     * {@code [-]seconds[.fraction]}, checked by a bounded pattern before any arithmetic; a negative time
     * counts back from the epoch, fraction included ("-1.5" is 1.5 s before it), as Go reads it.
     */
    static Instant paxTime(String value) {
        java.util.regex.Matcher m = value.length() <= 40 ? PAX_TIME.matcher(value) : null;
        try {
            if (m == null || !m.matches()) {
                throw new NumberFormatException();
            }
            long seconds = Long.parseLong(m.group(2));
            String fraction = m.group(3) == null ? "" : m.group(3);
            long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00000000").substring(0, 9));
            return m.group(1).isEmpty() ? Instant.ofEpochSecond(seconds, nanos) : Instant.ofEpochSecond(-seconds, -nanos);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw invalid("PAX record mtime is not a time: '" + abbreviate(value) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static long pad(long size) {
        return (BLOCK - (size % BLOCK)) % BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }

    /** Reads a whole block; false at a clean EOF before its first byte when {@code eofOk}. */
    private boolean readBlock(byte[] block, boolean eofOk) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0 && eofOk) {
            return false;
        }
        if (n < BLOCK) {
            throw invalid("the archive is truncated (a header block is incomplete)");
        }
        return true;
    }

    private void readFully(byte[] data) throws IOException {
        if (in.readNBytes(data, 0, data.length) < data.length) {
            throw invalid("the archive is truncated");
        }
    }

    private void skipFully(long n) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw invalid("the archive is truncated");
        }
    }

    static AgentException invalid(String message) {
        return AgentException.invalidArgument(message);
    }

    /** The current entry's data, bounded by its size. */
    private final class ContentStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw invalid("the archive is truncated inside an entry's data");
            }
            remaining -= n;
            return n;
        }
    }
}
