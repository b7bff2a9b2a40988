package io.berth.store.metered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.store.sqlite.SqliteStateStore;
import io.berth.testkit.metrics.RecordingMetrics;
import io.berth.testkit.store.StateStoreContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store contract holds through the decorator, and commits are timed by outcome. */
class MeteredStateStoreTest extends StateStoreContract {
    private final RecordingMetrics metrics = new RecordingMetrics();

    @Override
    protected StateStore newStore(Path dir) {
        return new MeteredStateStore(SqliteStateStore.open(dir), metrics);
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Override
    protected StateStore reopen(Path dir) {
        return newStore(dir);
    }

    @Test
    void timesEachCommitWithItsOutcome() {
        store.commit(List.of(Mutation.create("cluster", "timed", bytes("x"))), TIMEOUT);
        assertThatThrownBy(() -> store.commit(List.of(Mutation.create("cluster", "timed", bytes("y"))), TIMEOUT))
                .isInstanceOf(ConflictException.class);

        assertThat(metrics.timer(RecordingMetrics.key("berth.store.commit", "outcome", "ok"))).isNotEmpty();
        assertThat(metrics.timer(RecordingMetrics.key("berth.store.commit", "outcome", "conflict"))).hasSize(1);
    }
}
