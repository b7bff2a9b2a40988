package io.berth.agent.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromTheBaseUpToTheCapWithEqualJitter() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new SplittableRandom(1));

        for (int round = 0; round < 100; round++) {
            assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(backoff.delay(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(backoff.delay(10)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(backoff.delay(Integer.MAX_VALUE)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        Backoff a = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(9));
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(9));

        for (int attempt = 1; attempt < 12; attempt++) {
            assertThat(a.delay(attempt)).isEqualTo(b.delay(attempt));
        }
    }
}
