package io.hawser.agent.link;

import io.hawser.link.Frame;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection of the link, from the agent's side: greets ({@code hello}, then the full {@code inventory}), then
 * forwards every engine event, stats every {@link #STATS_EVERY}, pings every {@link #PING_EVERY}, serves the
 * console's tunnels, and gives up on a console from which nothing arrived for {@link #TIMEOUT}.
 */
final class LinkSession implements WebSocket.Listener {

    static final Duration PING_EVERY = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final Duration STATS_EVERY = Duration.ofSeconds(10);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(LinkSession.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where event forwarding resumes after a reconnect: the last forwarded event's timeNano (0: none yet). */
    static final class EventCursor {
        private volatile long lastNano;

        String since(Instant connectedAt) {
            if (lastNano > 0) {
                return (lastNano / 1_000_000_000L) + "." + String.format("%09d", lastNano % 1_000_000_000L);
            }
            // A little history: events between start-up and the subscription are not lost (the console drops repeats).
            return Long.toString(connectedAt.getEpochSecond() - 2);
        }

        void forwarded(long timeNano) {
            lastNano = Math.max(lastNano, timeNano);
        }
    }

    private final LocalApi api;
    private final HostReport report;
    private final EventCursor cursor;
    private final Clock clock;
    private final AgentTunnels tunnels;
    private final CompletableFuture<String> done = new CompletableFuture<>();
    private final CountDownLatch greeted = new CountDownLatch(1);
    private final Object sendLock = new Object();
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> daemon(r, "link-control"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "link-timers"));
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile WebSocket ws;
    private volatile Instant lastReceived;
    private volatile LocalApi.Response events;

    LinkSession(LocalApi api, HostReport report, EventCursor cursor, java.nio.file.Path socket, Clock clock) {
        this.api = api;
        this.report = report;
        this.cursor = cursor;
        this.clock = clock;
        this.tunnels = new AgentTunnels(socket, this::send);
        this.lastReceived = clock.instant();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        lastReceived = clock.instant();
        Instant connectedAt = clock.instant();
        control.execute(this::greet);
        daemon(() -> forwardEvents(connectedAt), "link-events").start();
        timers.scheduleWithFixedDelay(() -> sendQuietly(JSON.createObjectNode().put("type", "ping")),
                PING_EVERY.toMillis(), PING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::checkLiveness, 1, 1, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(() -> control.execute(this::sendStats),
                STATS_EVERY.toMillis(), STATS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partial.write(bytes, 0, bytes.length);
        if (last) {
            byte[] message = partial.toByteArray();
            partial.reset();
            onMessage(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        done.complete("closed by the console (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        done.complete("link error: " + error);
    }

    /** Blocks until the link ends; then stops everything of this session. Returns why it ended. */
    String awaitEnd() throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            return e.getCause().toString();
        } finally {
            end();
        }
    }

    private void end() {
        timers.shutdownNow();
        control.shutdownNow();
        tunnels.closeAll();
        LocalApi.Response stream = events;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
    }

    private void onMessage(byte[] message) {
        lastReceived = clock.instant();
        Frame frame;
        try {
            frame = Frame.decode(ByteBuffer.wrap(message));
        } catch (IllegalArgumentException e) {
            LOG.warning("link: bad frame from the console: " + e.getMessage());
            return;
        }
        if (frame.type() != Frame.Type.CONTROL) {
            tunnels.onFrame(frame);
            return;
        }
        try {
            JsonNode json = JSON.readTree(frame.payload());
            if (json.path("type").asText().equals("ping")) {
                control.execute(() -> sendQuietly(JSON.createObjectNode().put("type", "pong")));
            }
        } catch (IOException e) {
            LOG.warning("link: control message is not JSON: " + e.getMessage());
        }
    }

    private void greet() {
        try {
            send(report.hello());
            send(report.inventory());
            greeted.countDown();
        } catch (IOException e) {
            done.complete("greeting failed: " + e.getMessage());
        }
    }

    private void sendStats() {
        try {
            ObjectNode stats = report.stats();
            if (stats != null) {
                send(stats);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "link: stats", e);
        }
    }

    /** Follows the agent's own /events and forwards each, after the inventory, until the session ends. */
    private void forwardEvents(Instant connectedAt) {
        while (!done.isDone()) {
            try (LocalApi.Response stream = api.get("/events?since=" + cursor.since(connectedAt))) {
                events = stream;
                if (stream.status != 200) {
                    throw new IOException("GET /events answered " + stream.status);
                }
                MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(stream.body);
                while (!greeted.await(1, TimeUnit.SECONDS)) {
                    if (done.isDone()) {
                        return;
                    }
                }
                while (!done.isDone() && it.hasNextValue()) {
                    JsonNode event = it.nextValue();
                    send(report.event(event));
                    cursor.forwarded(event.path("timeNano").asLong(event.path("time").asLong() * 1_000_000_000L));
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!done.isDone()) {
                    LOG.warning("link: forwarding events: " + e.getMessage() + "; resubscribing");
                }
            }
            sleep(Duration.ofSeconds(1));
        }
    }

    private void checkLiveness() {
        if (Duration.between(lastReceived, clock.instant()).compareTo(TIMEOUT) > 0) {
            done.complete("nothing received from the console for " + TIMEOUT.toSeconds() + " s");
        }
    }

    private void sendQuietly(ObjectNode message) {
        try {
            send(message);
        } catch (IOException e) {
            LOG.fine("link: send: " + e.getMessage());
        }
    }

    private void send(ObjectNode message) throws IOException {
        send(new Frame(Frame.Type.CONTROL, 0, JSON.writeValueAsBytes(message)));
    }

    /** One frame at a time: the JDK's WebSocket refuses a send while another is pending. */
    void send(Frame frame) throws IOException {
        synchronized (sendLock) {
            if (done.isDone()) {
                throw new IOException("link closed");
            }
            try {
                ws.sendBinary(frame.encode(), true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending");
            } catch (ExecutionException | TimeoutException e) {
                done.complete("send failed: " + e);
                throw new IOException("link send failed", e);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
