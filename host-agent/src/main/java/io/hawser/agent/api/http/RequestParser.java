package io.hawser.agent.api.http;

import io.hawser.agent.common.AgentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses HTTP/1.x request heads (RFC 9112) from a connection and frames the body. Anything
 * malformed is an {@link AgentException} of kind invalid argument, which the connection answers
 * with 400 and then closes, since the stream can no longer be trusted.
 *
 * <p>Deliberately strict where leniency enables request smuggling: no whitespace before a header
 * colon, no obsolete line folding, no request with both Transfer-Encoding and Content-Length.
 */
public final class RequestParser {

    /** Same limit as Go's http.DefaultMaxHeaderBytes, which dockerd uses. */
    static final int MAX_HEAD_BYTES = 1 << 20;
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private RequestParser() {}

    /**
     * Reads the next request from {@code in}; its body stream reads from {@code in} too.
     *
     * @return null when the peer closed the connection cleanly before a new request
     */
    public static HttpRequest parse(InputStream in) throws IOException {
        String requestLine;
        int headBytes = 0;
        do { // RFC 9112 2.2: ignore empty lines before the request line
            requestLine = LineReader.readLine(in, MAX_LINE_BYTES);
            if (requestLine == null) {
                return null;
            }
            headBytes += requestLine.length() + 2;
        } while (requestLine.isEmpty());

        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3) {
            throw bad("request line '" + requestLine + "' is not 'METHOD TARGET HTTP/1.1'");
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (!TOKEN.matcher(method).matches()) {
            throw bad("invalid method '" + method + "'");
        }
        if (!target.startsWith("/")) {
            throw bad("request target '" + target + "' is not an absolute path");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw bad("unsupported protocol version '" + version + "'");
        }

        Headers headers = new Headers();
        String line;
        while (!(line = requireLine(in)).isEmpty()) {
            headBytes += line.length() + 2;
            if (headBytes > MAX_HEAD_BYTES) {
                throw bad("request head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            parseHeader(line, headers);
        }

        int q = target.indexOf('?');
        String path = decodePath(q < 0 ? target : target.substring(0, q));
        Map<String, List<String>> query = q < 0 ? Map.of() : parseQuery(target.substring(q + 1));
        return new HttpRequest(method, target, path, query, version, headers, body(in, headers));
    }

    private static String requireLine(InputStream in) throws IOException {
        String line = LineReader.readLine(in, MAX_LINE_BYTES);
        if (line == null) {
            throw bad("connection closed inside the request head");
        }
        return line;
    }

    private static void parseHeader(String line, Headers headers) {
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            throw bad("obsolete header line folding is not accepted");
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
            throw bad("invalid header line '" + line + "'");
        }
        headers.add(line.substring(0, colon), line.substring(colon + 1).trim());
    }

    private static InputStream body(InputStream in, Headers headers) {
        boolean chunked = headers.contains("Transfer-Encoding");
        List<String> lengths = headers.all("Content-Length");
        if (chunked && !lengths.isEmpty()) {
            throw bad("both Transfer-Encoding and Content-Length are set");
        }
        if (chunked) {
            if (!headers.first("Transfer-Encoding").equalsIgnoreCase("chunked") || headers.all("Transfer-Encoding").size() > 1) {
                throw bad("unsupported Transfer-Encoding '" + String.join(", ", headers.all("Transfer-Encoding")) + "'");
            }
            return new ChunkedInputStream(in);
        }
        if (lengths.isEmpty()) {
            return InputStream.nullInputStream();
        }
        String length = lengths.get(0);
        if (lengths.stream().anyMatch(l -> !l.equals(length)) || !length.matches("[0-9]{1,18}")) {
            throw bad("invalid Content-Length '" + String.join(", ", lengths) + "'");
        }
        long n = Long.parseLong(length);
        return n == 0 ? InputStream.nullInputStream() : new FixedLengthInputStream(in, n);
    }

    /** Percent-decodes a path as UTF-8; unlike query strings, '+' stays '+'. */
    static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw bad("invalid percent-encoding in path '" + raw + "'");
            }
            out.write(hi * 16 + lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw bad("invalid query parameter '" + pair + "': " + e.getMessage());
            }
        }
        return query;
    }

    private static AgentException bad(String why) {
        return AgentException.invalidArgument("malformed HTTP request: " + why);
    }
}
