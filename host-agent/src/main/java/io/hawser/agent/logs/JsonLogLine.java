package io.hawser.agent.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One line of a json-file log: {@code {"log":"hello\n","stream":"stdout","time":"2026-11-27T22:12:20.1234567Z"}}.
 * Encoding follows dockerd's writer (daemon/logger/jsonfilelog/jsonlog/jsonlogbytes.go) byte for byte; see
 * {@link JsonFileLogWriter} for the rules. Decoding accepts any valid JSON of that shape (extra fields such
 * as {@code attrs} are skipped) and any RFC 3339 time.
 */
public final class JsonLogLine {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLACEMENT = "\\ufffd".getBytes(StandardCharsets.US_ASCII);

    private JsonLogLine() {}

    /** The entry as one line, {@code \n} included. */
    public static byte[] encode(LogStream stream, Instant time, byte[] text, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 80);
        out.writeBytes("{\"log\":\"".getBytes(StandardCharsets.US_ASCII));
        escape(text, off, len, out);
        out.writeBytes(("\",\"stream\":\"" + stream.wire() + "\",\"time\":\"" + formatTime(time) + "\"}\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Go's time.RFC3339Nano in UTC: 9 fraction digits with trailing zeros dropped (no dot when all are 0). */
    public static String formatTime(Instant t) {
        String base = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t.atOffset(ZoneOffset.UTC).withNano(0));
        int nanos = t.getNano();
        if (nanos == 0) {
            return base + "Z";
        }
        String frac = String.format("%09d", nanos).replaceFirst("0+$", "");
        return base + "." + frac + "Z";
    }

    /** dockerd's timestamps=1 prefix format (jsonmessage.RFC3339NanoFixed): always 9 fraction digits. */
    public static String formatFixed(Instant t) {
        return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t.atOffset(ZoneOffset.UTC).withNano(0))
                + "." + String.format("%09d", t.getNano()) + "Z";
    }

    /** @throws IllegalArgumentException when the line is not a json-file entry */
    public static LogEntry decode(byte[] line, int off, int len) {
        String log = null;
        String stream = null;
        String time = null;
        try (JsonParser p = FACTORY.createParser(line, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("log line is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "log" -> log = p.getValueAsString();
                    case "stream" -> stream = p.getValueAsString();
                    case "time" -> time = p.getValueAsString();
                    default -> {
                        if (value.isStructStart()) {
                            p.skipChildren();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("log line is not valid JSON: " + e.getMessage(), e);
        }
        if (log == null || stream == null || time == null) {
            throw new IllegalArgumentException("log line lacks log, stream or time");
        }
        return new LogEntry(LogStream.ofWire(stream), parseTime(time), log.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 3339 with 0 to 9 fraction digits; the usual UTC form is parsed without a formatter (it is per line). */
    public static Instant parseTime(String s) {
        int n = s.length();
        if (n >= 20 && s.charAt(n - 1) == 'Z' && s.charAt(10) == 'T' && s.charAt(19) != ':') {
            try {
                long secs = java.time.LocalDateTime.of(num(s, 0, 4), num(s, 5, 7), num(s, 8, 10), num(s, 11, 13),
                        num(s, 14, 16), num(s, 17, 19)).toEpochSecond(ZoneOffset.UTC);
                int nanos = 0;
                if (n > 21 && s.charAt(19) == '.') {
                    String frac = s.substring(20, n - 1);
                    if (frac.length() > 9) {
                        throw new IllegalArgumentException("more than 9 fraction digits in time '" + s + "'");
                    }
                    nanos = num(frac + "000000000".substring(frac.length()), 0, 9);
                } else if (n != 20) {
                    throw new IllegalArgumentException("bad time '" + s + "'");
                }
                return Instant.ofEpochSecond(secs, nanos);
            } catch (RuntimeException e) {
                // fall through to the strict parser for its message
            }
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad time '" + s + "' in log line", e);
        }
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Escapes as dockerd's json-file writer: see {@link JsonFileLogWriter} for the table. */
    static void escape(byte[] b, int off, int len, ByteArrayOutputStream out) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                switch (c) {
                    case '"', '\\' -> { out.write('\\'); out.write(c); }
                    case '\n' -> { out.write('\\'); out.write('n'); }
                    case '\r' -> { out.write('\\'); out.write('r'); }
                    case '\t' -> { out.write('\\'); out.write('t'); }
                    case '<', '>', '&' -> unicode(c, out);
                    default -> {
                        if (c < 0x20) {
                            unicode(c, out);
                        } else {
                            out.write(c);
                        }
                    }
                }
                i++;
                continue;
            }
            int width = Utf8.validSequenceLength(b, i, end);
            if (width == 0) {
                out.writeBytes(REPLACEMENT); // one per invalid byte, as Go's utf8.DecodeRune reports them
                i++;
            } else if (width == 3 && (b[i] & 0xff) == 0xe2 && (b[i + 1] & 0xff) == 0x80 && ((b[i + 2] & 0xff) == 0xa8 || (b[i + 2] & 0xff) == 0xa9)) {
                out.writeBytes(((b[i + 2] & 0xff) == 0xa8 ? "\\u2028" : "\\u2029").getBytes(StandardCharsets.US_ASCII));
                i += 3;
            } else {
                out.write(b, i, width);
                i += width;
            }
        }
    }

    private static void unicode(int c, ByteArrayOutputStream out) {
        out.write('\\');
        out.write('u');
        out.write('0');
        out.write('0');
        out.write(HEX[c >> 4]);
        out.write(HEX[c & 0xf]);
    }
}
