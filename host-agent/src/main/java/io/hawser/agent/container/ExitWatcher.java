package io.hawser.agent.container;

import io.hawser.agent.runtime.ExitStatus;
import io.hawser.agent.runtime.ShimProcess;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread noticing container exits for all running containers: every 50 ms it looks for each shim's
 * {@code exit} file (written once the output is in the log), and every 2 s checks that shims without one are
 * still alive (a killed shim never writes it). Exits are handled on {@code handlers}, never on this thread.
 */
final class ExitWatcher {

    private static final Logger LOG = Logger.getLogger(ExitWatcher.class.getName());
    static final long POLL_MILLIS = 50;
    private static final int LIVENESS_EVERY = 40;

    private final Map<Container, ShimProcess> watched = new ConcurrentHashMap<>();
    private final Consumer<Container> onExit;
    private final ExecutorService handlers;

    ExitWatcher(Consumer<Container> onExit, ExecutorService handlers) {
        this.onExit = onExit;
        this.handlers = handlers;
        Thread t = new Thread(this::loop, "hawser-exit-watcher");
        t.setDaemon(true);
        t.start();
    }

    void watch(Container c, ShimProcess shim) {
        watched.put(c, shim);
    }

    private void loop() {
        for (long tick = 0; ; tick++) {
            try {
                Thread.sleep(POLL_MILLIS);
                boolean liveness = tick % LIVENESS_EVERY == 0;
                for (Map.Entry<Container, ShimProcess> e : watched.entrySet()) {
                    ShimProcess shim = e.getValue();
                    if (Files.exists(shim.stateDir().resolve(ExitStatus.FILE_NAME)) || (liveness && !shim.isShimAlive())) {
                        watched.remove(e.getKey());
                        Container c = e.getKey();
                        handlers.submit(() -> {
                            try {
                                onExit.accept(c);
                            } catch (RuntimeException ex) {
                                LOG.log(Level.WARNING, "handling the exit of container " + c.id() + " failed", ex);
                            }
                        });
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "exit watcher", e);
            }
        }
    }
}
