package io.hawser.console.inventory;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells live views that the inventory changed, at most once per {@link #INTERVAL_MS} however many agents write: a
 * burst of events or stats from 20 hosts becomes one refresh. Delivered after the writing transaction committed, so
 * a view that re-queries sees the change; on a thread of its own, never the link's.
 */
@Component
public class InventoryChanges {

    static final long INTERVAL_MS = 500;
    private static final Logger log = LoggerFactory.getLogger(InventoryChanges.class);

    private final Set<Runnable> listeners = new CopyOnWriteArraySet<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "inventory-changes");
        t.setDaemon(true);
        return t;
    });

    /** Calls {@code listener} after inventory changes until the returned handle is run. */
    public Runnable subscribe(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void changed(InventoryChanged event) {
        if (pending.compareAndSet(false, true)) {
            timer.schedule(this::deliver, INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void deliver() {
        pending.set(false);
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("an inventory listener failed", e);
            }
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
