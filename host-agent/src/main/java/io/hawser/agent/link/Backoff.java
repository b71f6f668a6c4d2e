package io.hawser.agent.link;

import java.time.Duration;
import java.util.Random;

/**
 * Reconnection delays: exponential from 1 s doubling to 60 s, with full jitter (a uniformly random delay between
 * zero and the current ceiling), so a console restart is not met by every agent of the fleet in the same second.
 * See "Exponential Backoff And Jitter", AWS Architecture Blog, 2015.
 */
final class Backoff {

    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(60);

    private final Duration base;
    private final Duration cap;
    private final Random random;
    private int attempt;

    Backoff(Random random) {
        this(BASE, CAP, random);
    }

    Backoff(Duration base, Duration cap, Random random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The ceiling of the next delay, before jitter. */
    Duration ceiling() {
        long millis = base.toMillis() << Math.min(attempt, 30);
        return Duration.ofMillis(Math.min(millis, cap.toMillis()));
    }

    Duration next() {
        Duration ceiling = ceiling();
        attempt++;
        return Duration.ofMillis(random.nextLong(ceiling.toMillis() + 1));
    }

    /** After a link that came up: the next failure starts from the base again. */
    void reset() {
        attempt = 0;
    }
}
