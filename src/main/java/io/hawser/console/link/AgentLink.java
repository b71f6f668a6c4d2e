package io.hawser.console.link;

import io.hawser.link.Frame;
import io.hawser.link.TunnelChannel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One agent's live link on this console: its WebSocket, its tunnels and its control channel. Frames for tunnels are
 * handed over without blocking on the receiving thread; control messages run one after another on the link's own
 * thread, so a slow database write delays this host's next message only, never its tunnels or other hosts.
 */
public final class AgentLink {

    private static final Logger LOG = Logger.getLogger(AgentLink.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UUID hostId;
    private final WebSocketSession session;
    private final Clock clock;
    private final BiConsumer<AgentLink, JsonNode> control;
    private final Map<Integer, TunnelChannel> tunnels = new ConcurrentHashMap<>();
    private final AtomicInteger nextChannel = new AtomicInteger(1);
    private final ExecutorService controlThread;
    /**
     * Every frame goes out from this one thread. Tomcat closes the whole WebSocket (1006) when a thread blocked in a
     * send is interrupted, and callers do get interrupted: Spring interrupts a streamed REST answer's thread when its
     * client leaves. Sending here, the caller's interrupt ends only its own wait; the frame, and the link, carry on.
     */
    private final ExecutorService sendThread;
    private volatile Instant lastReceived;
    private volatile boolean closed;
    /** When this link last wrote the host's last_seen_at; only the link's control thread uses it. */
    Instant lastTouched;

    AgentLink(UUID hostId, WebSocketSession session, Clock clock, BiConsumer<AgentLink, JsonNode> control) {
        this.hostId = hostId;
        this.session = session;
        this.clock = clock;
        this.control = control;
        this.lastReceived = clock.instant();
        this.controlThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "agent-link-" + hostId);
            t.setDaemon(true);
            return t;
        });
        this.sendThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "agent-link-send-" + hostId);
            t.setDaemon(true);
            return t;
        });
    }

    public UUID hostId() {
        return hostId;
    }

    public Instant lastReceived() {
        return lastReceived;
    }

    public boolean isOpen() {
        return !closed && session.isOpen();
    }

    /** A message from the agent. */
    void onMessage(ByteBuffer message) {
        lastReceived = clock.instant();
        Frame frame;
        try {
            frame = Frame.decode(message);
        } catch (IllegalArgumentException e) {
            LOG.warning("host " + hostId + ": bad link frame, closing the link: " + e.getMessage());
            close(CloseStatus.PROTOCOL_ERROR.withReason("bad frame"));
            return;
        }
        if (frame.type() == Frame.Type.CONTROL) {
            JsonNode json;
            try {
                json = JSON.readTree(frame.payload());
            } catch (IOException e) {
                LOG.warning("host " + hostId + ": control message is not JSON: " + e.getMessage());
                return;
            }
            try {
                controlThread.execute(() -> {
                    try {
                        control.accept(this, json);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "host " + hostId + ": control message " + json.path("type") + " failed", e);
                    }
                });
            } catch (RejectedExecutionException closing) {
                // the link is closing
            }
            return;
        }
        TunnelChannel tunnel = tunnels.get(frame.channel());
        if (tunnel != null) {
            tunnel.onFrame(frame);
        }
        // Frames for a channel already forgotten (both sides closed it at once) are dropped.
    }

    /** Sends a control message, a JSON object. */
    public void sendControl(Map<String, ?> message) throws IOException {
        send(new Frame(Frame.Type.CONTROL, 0, JSON.writeValueAsBytes(message)));
    }

    void send(Frame frame) throws IOException {
        if (closed) {
            throw new IOException("link to host " + hostId + " is closed");
        }
        // The session is a ConcurrentWebSocketSessionDecorator: an agent that stops reading for long is cut off
        // rather than blocking the console's threads.
        BinaryMessage message = new BinaryMessage(frame.encode(), true);
        Future<?> sent;
        try {
            sent = sendThread.submit(() -> {
                session.sendMessage(message);
                return null;
            });
        } catch (RejectedExecutionException e) {
            throw new IOException("link to host " + hostId + " is closed");
        }
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to host " + hostId);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io
                    : new IOException("sending to host " + hostId + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Opens a tunnel to the agent's Engine API socket. */
    public TunnelChannel openTunnel() throws IOException {
        int id = nextChannel.getAndUpdate(n -> n == Integer.MAX_VALUE ? 1 : n + 1);
        TunnelChannel tunnel = new TunnelChannel(id, this::send, () -> tunnels.remove(id));
        tunnels.put(id, tunnel);
        try {
            send(new Frame(Frame.Type.OPEN, id, null));
        } catch (IOException e) {
            tunnels.remove(id);
            throw e;
        }
        return tunnel;
    }

    /** Closes the WebSocket and fails every open tunnel. */
    public void close(CloseStatus status) {
        if (closed) {
            return;
        }
        closed = true;
        controlThread.shutdown();
        sendThread.shutdown();
        for (TunnelChannel tunnel : List.copyOf(tunnels.values())) {
            tunnel.onFrame(new Frame(Frame.Type.CLOSE, tunnel.id(), ("link closed: " + status.getReason())
                    .getBytes(StandardCharsets.UTF_8)));
        }
        tunnels.clear();
        try {
            session.close(status);
        } catch (IOException e) {
            LOG.fine("closing the link of host " + hostId + ": " + e.getMessage());
        }
    }

    /** The socket went away by itself. */
    void closed() {
        close(CloseStatus.NORMAL);
    }
}
