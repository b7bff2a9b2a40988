package io.berth.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest extends StateStoreContract {

    @Override
    protected StateStore newStore(Path dir) {
        return new InMemoryStateStore();
    }

    private InMemoryStateStore fake() {
        return (InMemoryStateStore) store;
    }

    @Test
    void aBrokenStoreRefusesCommitsAndAppliesNothingUntilItHeals() {
        fake().setMode(InMemoryStateStore.Mode.BROKEN);

        assertThatThrownBy(() -> commit(Mutation.create("cluster", "a", bytes("x"))))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.wipe(TIMEOUT)).isInstanceOf(StoreUnavailableException.class);
        assertThat(store.get("cluster", "a")).isEmpty();
        assertThat(store.lastSequence()).isZero();

        fake().setMode(InMemoryStateStore.Mode.NORMAL);
        assertThat(commit(Mutation.create("cluster", "a", bytes("x")))).containsExactly(1L);
    }

    @Test
    void aSlowStoreTimesOutCommitsWithAShorterTimeoutAndAppliesNothing() {
        fake().setMode(InMemoryStateStore.Mode.SLOW);
        fake().setSlowness(Duration.ofSeconds(5));

        long start = System.nanoTime();
        assertThatThrownBy(() -> store.commit(
                        List.of(Mutation.create("cluster", "a", bytes("x"))), Duration.ofMillis(50)))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(
                Duration.ofMillis(50), Duration.ofSeconds(4));
        assertThat(store.get("cluster", "a")).isEmpty();
    }

    @Test
    void aSlowStoreDelaysCommitsWithALongerTimeout() {
        fake().setMode(InMemoryStateStore.Mode.SLOW);
        fake().setSlowness(Duration.ofMillis(100));

        long start = System.nanoTime();
        assertThat(commit(Mutation.create("cluster", "a", bytes("x")))).containsExactly(1L);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
}
