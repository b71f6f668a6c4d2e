package io.hawser.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesFromOneSecondToSixty() {
        Backoff backoff = new Backoff(new Random(1));
        List<Long> ceilings = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ceilings.add(backoff.ceiling().toSeconds());
            backoff.next();
        }
        assertThat(ceilings).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void delaysAreFullJitter_betweenZeroAndTheCeiling_andDeterministicForASeed() {
        Backoff a = new Backoff(new Random(42));
        Backoff b = new Backoff(new Random(42));
        boolean belowHalf = false;
        for (int i = 0; i < 200; i++) {
            Duration ceiling = a.ceiling();
            Duration delay = a.next();
            assertThat(b.next()).isEqualTo(delay);
            assertThat(delay).isBetween(Duration.ZERO, ceiling);
            belowHalf |= delay.compareTo(ceiling.dividedBy(2)) < 0 && i > 6;
        }
        assertThat(belowHalf).as("jitter spreads over the whole range, not just near the ceiling").isTrue();
    }

    @Test
    void reset_startsOverFromOneSecond() {
        Backoff backoff = new Backoff(new Random(3));
        for (int i = 0; i < 20; i++) {
            backoff.next();
        }
        backoff.reset();
        assertThat(backoff.ceiling()).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }
}
