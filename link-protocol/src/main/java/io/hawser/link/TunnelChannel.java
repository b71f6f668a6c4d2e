package io.hawser.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One tunnel of the link as a pair of streams, with per-direction flow control: a sender has at most
 * {@link #WINDOW} bytes in flight, and the receiver hands credit back (WINDOW frames) as its reader consumes them.
 * So the link's receiving thread never blocks on a tunnel (what arrives always fits the buffer), and a fast stream
 * with a slow reader stalls only itself, never the control channel or other tunnels. The agent and the console
 * compile this one source (link-protocol/).
 *
 * <p>Frames arriving from the link go to {@link #onFrame}; the local side reads {@link #input()} and writes
 * {@link #output()} (one writer at a time).
 */
public final class TunnelChannel {

    public static final int WINDOW = 256 * 1024;

    private final int id;
    private final FrameSink sink;
    private final Runnable onClosed;

    // guarded by this
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private int headOffset;
    private int buffered;
    private boolean remoteEof;
    private boolean localEof;
    private boolean closed;
    private String closeReason;
    private long credit = WINDOW;
    private int owed; // consumed bytes not yet credited back
    private long readTimeoutMillis; // 0: reads wait as long as it takes

    public TunnelChannel(int id, FrameSink sink, Runnable onClosed) {
        this.id = id;
        this.sink = sink;
        this.onClosed = onClosed;
    }

    public int id() {
        return id;
    }

    /** A frame for this channel from the other side; never blocks. */
    public void onFrame(Frame frame) {
        boolean overrun = false;
        synchronized (this) {
            switch (frame.type()) {
                case DATA -> {
                    if (closed || remoteEof) {
                        return;
                    }
                    if (buffered + frame.payload().length > WINDOW) {
                        overrun = true;
                    } else if (frame.payload().length > 0) {
                        inbound.add(frame.payload());
                        buffered += frame.payload().length;
                    }
                }
                case EOF -> remoteEof = true;
                case WINDOW -> credit += frame.credit();
                case CLOSE -> {
                    if (!closed) {
                        closed = true;
                        closeReason = frame.payload().length == 0 ? "closed by the other side"
                                : new String(frame.payload(), StandardCharsets.UTF_8);
                    }
                }
                default -> throw new IllegalArgumentException(frame + " on a tunnel");
            }
            notifyAll();
        }
        if (overrun) {
            close("flow control violated: more than " + WINDOW + " bytes in flight");
        } else if (frame.type() == Frame.Type.CLOSE) {
            onClosed.run();
        }
    }

    /** Reads that wait longer than this for data fail with SocketTimeoutException; zero (the default) waits forever. */
    public synchronized void readTimeout(java.time.Duration timeout) {
        readTimeoutMillis = timeout.toMillis();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Both sides have half-closed: nothing more can flow. */
    public synchronized boolean isDrained() {
        return closed || (remoteEof && localEof && inbound.isEmpty());
    }

    public synchronized String closeReason() {
        return closeReason;
    }

    /** Sends CLOSE (once) and fails pending reads and writes. */
    public void close(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeReason = reason;
            notifyAll();
        }
        try {
            sink.send(new Frame(Frame.Type.CLOSE, id, reason == null ? null : reason.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException ignored) {
            // the link is gone: the other side forgets the channel with it
        }
        onClosed.run();
    }

    /** Half-close: EOF to the other side, reads go on. */
    public void shutdownOutput() throws IOException {
        synchronized (this) {
            if (localEof || closed) {
                return;
            }
            localEof = true;
        }
        sink.send(new Frame(Frame.Type.EOF, id, null));
    }

    public InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return TunnelChannel.this.read(b, off, len);
            }

            @Override
            public void close() {
                TunnelChannel.this.close(null);
            }
        };
    }

    public OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                TunnelChannel.this.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                shutdownOutput();
            }
        };
    }

    private int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        int credit = 0;
        synchronized (this) {
            long deadline = readTimeoutMillis == 0 ? 0 : System.nanoTime() + readTimeoutMillis * 1_000_000;
            while (inbound.isEmpty() && !remoteEof && !closed) {
                if (deadline == 0) {
                    await();
                } else {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new java.net.SocketTimeoutException("nothing received on tunnel " + id + " for "
                                + readTimeoutMillis + " ms");
                    }
                    awaitMillis(left);
                }
            }
            if (inbound.isEmpty()) {
                if (remoteEof) {
                    return -1;
                }
                throw new IOException("tunnel " + id + " closed: " + closeReason);
            }
            byte[] head = inbound.peek();
            n = Math.min(len, head.length - headOffset);
            System.arraycopy(head, headOffset, b, off, n);
            headOffset += n;
            if (headOffset == head.length) {
                inbound.poll();
                headOffset = 0;
            }
            buffered -= n;
            owed += n;
            // Credit back in batches: a WINDOW frame per read would double the frames on a busy stream.
            if (owed >= Frame.MAX_DATA || inbound.isEmpty()) {
                credit = owed;
                owed = 0;
            }
            if (closed) {
                credit = 0;
            }
        }
        if (credit > 0) {
            sink.send(Frame.window(id, credit));
        }
        return n;
    }

    private synchronized void awaitCredit() throws IOException {
        while (credit <= 0 && !closed) {
            await();
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n;
            synchronized (this) {
                awaitCredit();
                if (closed) {
                    throw new IOException("tunnel " + id + " closed: " + closeReason);
                }
                if (localEof) {
                    throw new IOException("tunnel " + id + ": write after shutdownOutput");
                }
                n = (int) Math.min(Math.min(len, credit), Frame.MAX_DATA);
                credit -= n;
            }
            byte[] chunk = new byte[n];
            System.arraycopy(b, off, chunk, 0, n);
            sink.send(new Frame(Frame.Type.DATA, id, chunk));
            off += n;
            len -= n;
        }
    }

    private void await() throws InterruptedIOException {
        awaitMillis(0);
    }

    private void awaitMillis(long millis) throws InterruptedIOException {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted on tunnel " + id);
        }
    }
}
