package io.hawser.console.link;

import io.hawser.link.Frame;
import io.hawser.link.TunnelChannel;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * HTTP/1.1 of the Docker Engine API to one host, each request over its own tunnel of the host's link
 * ({@code Connection: close}), so the console speaks to an agent exactly as the docker CLI does.
 */
public final class HostClient {

    /** A whole-response request that hears nothing for this long fails (streams wait as long as they stay open). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final UUID hostId;
    private final AgentLink link;

    HostClient(UUID hostId, AgentLink link) {
        this.hostId = hostId;
        this.link = link;
    }

    public UUID hostId() {
        return hostId;
    }

    public ApiResponse get(String path) throws IOException {
        return request("GET", path, null, null);
    }

    /** A request whose response is read whole. */
    public ApiResponse request(String method, String path, String contentType, byte[] body) throws IOException {
        try (ApiStream stream = stream(method, path, contentType, body, REQUEST_TIMEOUT)) {
            return new ApiResponse(stream.head(), stream.body().readAllBytes());
        }
    }

    /** A request whose response body is read as it arrives; the caller closes the stream. */
    public ApiStream stream(String method, String path, String contentType, byte[] body) throws IOException {
        return stream(method, path, contentType, body, null);
    }

    private ApiStream stream(String method, String path, String contentType, byte[] body, Duration timeout) throws IOException {
        TunnelChannel tunnel = link.openTunnel();
        if (timeout != null) {
            tunnel.readTimeout(timeout);
        }
        try {
            InputStream in = send(tunnel, method, path, contentType, body, false);
            HttpHead head = HttpHead.read(in);
            return new ApiStream(head, HttpBodies.body(head, method, in), tunnel);
        } catch (IOException | RuntimeException e) {
            tunnel.close(null);
            throw e;
        }
    }

    /**
     * A request whose body is streamed from {@code body} while the response is read: the agent may answer (progress
     * lines of an import) before it has read the whole body, and a body larger than the tunnel's window would
     * otherwise wait for credit that a reader never hands back. A writer thread copies the body ({@code length} bytes
     * with {@code Content-Length}, or chunked when {@code length} is negative) and reports each chunk sent to
     * {@code sent}; this thread reads the response head. Closing the returned stream ends the tunnel and waits for the
     * writer to let go of {@code body}. A failure to read {@code body} closes the tunnel with that reason.
     */
    public ApiStream upload(String method, String path, String contentType, InputStream body, long length,
                            java.util.function.LongConsumer sent) throws IOException {
        TunnelChannel tunnel = link.openTunnel();
        Thread writer = null;
        try {
            StringBuilder head = new StringBuilder(method).append(' ').append(checkedTarget(path)).append(" HTTP/1.1\r\n")
                    .append("Host: hawser\r\nUser-Agent: hawser-console\r\nConnection: close\r\n")
                    .append("Content-Type: ").append(contentType).append("\r\n")
                    .append(length >= 0 ? "Content-Length: " + length : "Transfer-Encoding: chunked").append("\r\n\r\n");
            OutputStream out = tunnel.output();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            writer = new Thread(() -> copyBody(tunnel, body, length < 0, sent), "upload-" + hostId);
            writer.setDaemon(true);
            writer.start();
            InputStream in = new BufferedInputStream(tunnel.input(), 16 * 1024);
            HttpHead response = HttpHead.read(in);
            Thread w = writer;
            return new ApiStream(response, HttpBodies.body(response, method, in), tunnel, () -> join(w));
        } catch (IOException | RuntimeException e) {
            tunnel.close(null);
            join(writer);
            throw e;
        }
    }

    private static void copyBody(TunnelChannel tunnel, InputStream body, boolean chunked, java.util.function.LongConsumer sent) {
        OutputStream out = tunnel.output();
        byte[] buffer = new byte[Frame.MAX_DATA];
        boolean reading = true;
        try {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                reading = false;
                if (n > 0) {
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(buffer, 0, n);
                    if (chunked) {
                        out.write(CRLF);
                    }
                    sent.accept(n);
                }
                reading = true;
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            // The tunnel closing (the agent answered early, or the caller closed) ends the copy; a source that fails
            // ends the request, so that the agent does not wait for the rest.
            if (reading) {
                tunnel.close("the request body could not be read: " + e.getMessage());
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static void join(Thread writer) {
        if (writer == null) {
            return;
        }
        try {
            writer.join(REQUEST_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String checkedTarget(String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("not a request target: " + path);
        }
        return path;
    }

    /**
     * A request that upgrades the connection ({@code Connection: Upgrade}, {@code Upgrade: tcp}), as attach and exec
     * start do. When the agent answers something other than 101 (an error, or 200 for a client that may not
     * upgrade), the returned stream's head says so and its input is the response body.
     */
    public HijackedStream hijack(String method, String path, String contentType, byte[] body) throws IOException {
        TunnelChannel tunnel = link.openTunnel();
        try {
            InputStream in = send(tunnel, method, path, contentType, body, true);
            HttpHead head = HttpHead.read(in);
            InputStream input = head.status() == 101 ? in : HttpBodies.body(head, method, in);
            return new HijackedStream(head, input, tunnel);
        } catch (IOException | RuntimeException e) {
            tunnel.close(null);
            throw e;
        }
    }

    private static InputStream send(TunnelChannel tunnel, String method, String path, String contentType, byte[] body,
                                    boolean upgrade) throws IOException {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("not a request target: " + path);
        }
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: hawser\r\n")
                .append("User-Agent: hawser-console\r\n");
        if (upgrade) {
            head.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
        } else {
            head.append("Connection: close\r\n");
        }
        if (body != null) {
            head.append("Content-Type: ").append(contentType == null ? "application/json" : contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.write(body);
        }
        OutputStream out = tunnel.output();
        out.write(request.toByteArray());
        return new BufferedInputStream(tunnel.input(), 16 * 1024);
    }
}
