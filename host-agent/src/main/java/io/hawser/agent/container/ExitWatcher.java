package io.hawser.agent.container;

import io.hawser.agent.runtime.ExitStatus;
import io.hawser.agent.runtime.ShimProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread noticing container exits for all running containers. A shim this agent launched keeps its
 * sync connection open and closes it right after writing the exit file (run.c): EOF on it, seen through one
 * {@link Selector}, is the exit event, handled at once. A container re-adopted after an agent restart has no
 * such connection: for those the thread looks for the {@code exit} file every 50 ms. Every 2 s it also
 * checks that shims without an exit file are still alive (a shim killed before writing it never will).
 * Exits are handled on {@code handlers}, never on this thread.
 *
 * <p>Why not only the 50 ms poll, as before: it added 25 ms on average (up to 50) between a container's
 * exit and {@code docker wait}/{@code docker run --rm} returning; bench/runtime.sh measured start-to-exit
 * 31.4 ms with polling (see bench/README.md, "Agent latency").
 */
final class ExitWatcher {

    private static final Logger LOG = Logger.getLogger(ExitWatcher.class.getName());
    static final long POLL_MILLIS = 50;
    private static final long LIVENESS_MILLIS = 2000;

    private final Map<Container, ShimProcess> watched = new ConcurrentHashMap<>();
    private final Queue<Map.Entry<Container, ShimProcess>> toRegister = new ConcurrentLinkedQueue<>();
    private final Consumer<Container> onExit;
    private final ExecutorService handlers;
    private final Selector selector;

    ExitWatcher(Consumer<Container> onExit, ExecutorService handlers) {
        this.onExit = onExit;
        this.handlers = handlers;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("open a selector for container exits", e);
        }
        Thread t = new Thread(this::loop, "hawser-exit-watcher");
        t.setDaemon(true);
        t.start();
    }

    void watch(Container c, ShimProcess shim) {
        watched.put(c, shim);
        if (shim.exitNotice().isPresent()) {
            toRegister.add(Map.entry(c, shim));
            selector.wakeup();
        }
    }

    private void loop() {
        long nextPoll = 0;
        long nextLiveness = System.nanoTime() + LIVENESS_MILLIS * 1_000_000;
        while (true) {
            try {
                long now = System.nanoTime();
                selector.select(Math.max(1, (nextPoll - now) / 1_000_000));
                registerNew();
                for (SelectionKey k : selector.selectedKeys()) {
                    if (atEof((SocketChannel) k.channel())) {
                        k.cancel();
                        close(k.channel());
                        @SuppressWarnings("unchecked")
                        Map.Entry<Container, ShimProcess> w = (Map.Entry<Container, ShimProcess>) k.attachment();
                        exited(w.getKey(), w.getValue());
                    }
                }
                selector.selectedKeys().clear();
                now = System.nanoTime();
                if (now - nextPoll >= 0) {
                    nextPoll = now + POLL_MILLIS * 1_000_000;
                    boolean liveness = now - nextLiveness >= 0;
                    if (liveness) {
                        nextLiveness = now + LIVENESS_MILLIS * 1_000_000;
                    }
                    poll(liveness);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "exit watcher", e);
            }
        }
    }

    private void registerNew() {
        for (Map.Entry<Container, ShimProcess> e; (e = toRegister.poll()) != null; ) {
            SocketChannel ch = e.getValue().exitNotice().orElseThrow();
            try {
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, e);
            } catch (IOException | RuntimeException ex) {
                // the shim's liveness is still checked below; an exit is then seen within 2 s
                LOG.log(Level.WARNING, "cannot watch the sync connection of " + e.getKey().id(), ex);
                close(ch);
            }
        }
    }

    /** The shim writes nothing after "started": anything readable is the end of the connection. */
    private static boolean atEof(SocketChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(64);
            int n;
            while ((n = ch.read(buf)) > 0) {
                buf.clear();
            }
            return n < 0;
        } catch (IOException e) {
            return true; // reset by a dying shim: as good as EOF
        }
    }

    /** Re-adopted containers (no exit notice) by their exit file; every container's shim for liveness. */
    private void poll(boolean liveness) {
        for (Map.Entry<Container, ShimProcess> e : watched.entrySet()) {
            ShimProcess shim = e.getValue();
            boolean byFile = shim.exitNotice().isEmpty() && Files.exists(shim.stateDir().resolve(ExitStatus.FILE_NAME));
            if (byFile || (liveness && !shim.isShimAlive())) {
                exited(e.getKey(), shim);
            }
        }
    }

    private void exited(Container c, ShimProcess shim) {
        if (!watched.remove(c, shim)) {
            return; // seen already (EOF and a failed liveness check both fire for a killed shim)
        }
        handlers.submit(() -> {
            try {
                onExit.accept(c);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "handling the exit of container " + c.id() + " failed", ex);
            }
        });
    }

    private static void close(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
