package io.hawser.console.link;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The status line and header fields of an HTTP/1.1 response (RFC 9112), as read from a tunnel. */
public record HttpHead(int status, String reason, List<String[]> headers) {

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    public HttpHead {
        headers = List.copyOf(headers);
    }

    /** The first value of a header field, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    public boolean chunked() {
        return header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
    }

    public static HttpHead read(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status in " + statusLine);
        }
        List<String[]> headers = new ArrayList<>();
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new IOException("bad response header line: " + line);
            }
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        return new HttpHead(status, parts.length > 2 ? parts[2] : "", headers);
    }

    /** One CRLF (or bare LF) terminated line as ISO-8859-1; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a line");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("response line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
}
