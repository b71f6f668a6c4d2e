package io.hawser.agent.link;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The agent's link to its console (docs/decisions/0004-agent-link.md): enrolls once with the join token (the
 * credential then lives in {@code <data-root>/link/credential} and the token is never used again), then keeps one
 * WebSocket to {@code <console>/agent-link} up, reconnecting with exponential backoff and full jitter. Runs on its own
 * daemon thread; the Engine API on the socket works whether or not the console is reachable.
 */
public final class LinkClient {

    private static final Logger LOG = Logger.getLogger(LinkClient.class.getName());

    private final URI consoleUrl;
    private final String joinToken;
    private final Path socket;
    private final String agentVersion;
    private final CredentialStore credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final LinkSession.EventCursor cursor = new LinkSession.EventCursor();
    private volatile boolean stopped;
    private Thread thread;

    /** @param joinToken null when the agent enrolled before (or is to use a stored credential only) */
    public LinkClient(URI consoleUrl, String joinToken, Path dataRoot, Path socket, String agentVersion) {
        this.consoleUrl = consoleUrl;
        this.joinToken = joinToken;
        this.socket = socket;
        this.agentVersion = agentVersion;
        this.credentials = new CredentialStore(dataRoot);
    }

    public synchronized void start() {
        thread = new Thread(this::run, "hawser-link");
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void run() {
        Backoff backoff = new Backoff(new Random());
        LocalApi api = new LocalApi(socket);
        HostReport report = new HostReport(api, agentVersion);
        while (!stopped) {
            try {
                Optional<String> bearer = credentials.load();
                if (bearer.isEmpty()) {
                    if (joinToken == null) {
                        LOG.severe("link: no credential in " + credentials.file() + " and no --join-token: not linking to "
                                + consoleUrl);
                        return;
                    }
                    String enrolled = new Enroller(http, consoleUrl).enroll(joinToken, hostname(), agentVersion);
                    credentials.save(enrolled);
                    LOG.info("link: enrolled with " + consoleUrl + " as host " + enrolled.substring(0, enrolled.indexOf('.'))
                            + "; credential in " + credentials.file());
                    bearer = Optional.of(enrolled);
                } else if (joinToken != null) {
                    LOG.fine("link: enrolled before; the join token is not used again");
                }
                LinkSession session = new LinkSession(api, report, cursor, socket, Clock.systemUTC());
                connect(bearer.get(), session);
                backoff.reset();
                LOG.info("link: connected to " + consoleUrl);
                LOG.warning("link: disconnected: " + session.awaitEnd());
            } catch (Enroller.RefusedException e) {
                LOG.severe("link: " + e.getMessage());
            } catch (WebSocketHandshakeException e) {
                int status = e.getResponse().statusCode();
                LOG.severe("link: the console refused this host (HTTP " + status + ")"
                        + (status == 401 ? "; was it removed? To join again, delete " + credentials.file()
                        + " and start with a new --join-token" : ""));
            } catch (IOException e) {
                LOG.warning("link: cannot reach " + consoleUrl + ": " + e);
            } catch (InterruptedException e) {
                return;
            }
            Duration delay = backoff.next();
            LOG.info("link: reconnecting in " + delay.toMillis() + " ms");
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connect(String bearer, LinkSession session) throws IOException, InterruptedException {
        try {
            http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + bearer)
                    .connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(webSocketUri(consoleUrl), session)
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw refused;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no WebSocket handshake within 60 s");
        }
    }

    /** {@code base} with {@code relative} appended to its path (a console may sit under a path prefix). */
    static URI resolve(URI base, String relative) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text : text + "/") + relative);
    }

    /** http → ws, https → wss, at {@code /agent-link} below the console's URL. */
    static URI webSocketUri(URI consoleUrl) {
        URI link = resolve(consoleUrl, "agent-link");
        String scheme = switch (consoleUrl.getScheme()) {
            case "http" -> "ws";
            case "https" -> "wss";
            default -> throw new IllegalArgumentException("console URL must be http or https: " + consoleUrl);
        };
        return URI.create(scheme + link.toString().substring(consoleUrl.getScheme().length()));
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "host";
        }
    }
}
