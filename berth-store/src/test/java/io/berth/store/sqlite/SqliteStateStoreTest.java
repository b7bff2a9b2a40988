package io.berth.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.store.Change;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import io.berth.testkit.store.StateStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SqliteStateStoreTest extends StateStoreContract {

    @Override
    protected StateStore newStore(Path dir) {
        return SqliteStateStore.open(dir);
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Override
    protected StateStore reopen(Path dir) {
        return SqliteStateStore.open(dir);
    }

    @Test
    void keepsItsDatabaseInBerthDbInTheDirectoryWithTheSchemaVersionRecorded() throws Exception {
        Path nested = dir.resolve("a/b");
        try (SqliteStateStore nestedStore = SqliteStateStore.open(nested)) {
            nestedStore.commit(List.of(Mutation.create("cluster", "a", bytes("x"))), TIMEOUT);
        }

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + nested.resolve("berth.db"));
                Statement st = c.createStatement()) {
            assertThat(single(st, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(st, "SELECT MAX(version) FROM schema_version")).isEqualTo("1");
            assertThat(single(st, "SELECT key || ' v' || version FROM entities")).isEqualTo("a v1");
            assertThat(single(st, "SELECT COUNT(*) FROM changes")).isEqualTo("1");
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        assertThatThrownBy(() -> SqliteStateStore.open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open");
    }

    @Test
    void aFailedDatabaseCommitFailsTheBatchAndPublishesNothing() throws Exception {
        commit(Mutation.create("cluster", "before", bytes("x")));
        long before = store.lastSequence();

        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("berth.db"));
                Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE"); // takes the write lock; the store's writer times out on it
            assertThatThrownBy(() -> commit(Mutation.create("cluster", "a", bytes("x"))))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(store.get("cluster", "a")).isEmpty();
            assertThat(store.lastSequence()).isEqualTo(before);
            st.execute("ROLLBACK");
        }

        assertThat(commit(Mutation.create("cluster", "a", bytes("x")))).containsExactly(1L);
        assertThat(store.changesSince(0, 10)).extracting(Change::sequence).containsExactly(1L, 2L);
    }

    @Test
    void changesOlderThanTheMemoryRingComeFromTheDatabase() throws Exception {
        reopenWithRetention(1_000); // ring of 512
        for (int t = 0; t < 60; t++) {
            List<Mutation> tx = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tx.add(Mutation.create("task", "t" + t + "/" + i, bytes("v")));
            }
            store.commit(tx, TIMEOUT);
        }

        assertThat(store.changesSince(0, 1_000)).extracting(Change::sequence)
                .containsExactlyElementsOf(sequences(1, 600));
        List<Change> received = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = store.subscribe(0, received::add)) {
            commit(Mutation.create("task", "live", bytes("v")));
            awaitTrue(() -> received.size() >= 601);
        }
        assertThat(received).extracting(Change::sequence).containsExactlyElementsOf(sequences(1, 601));
    }

    @Test
    void theChangeFeedKeepsTheRetainedChangesAndRefusesOlderOnes() {
        reopenWithRetention(100);
        for (int i = 1; i <= 300; i++) {
            commit(Mutation.create("task", "t" + i, bytes("v")));
        }

        assertThatThrownBy(() -> store.changesSince(0, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer retained");
        assertThatThrownBy(() -> store.subscribe(0, c -> { })).isInstanceOf(IllegalStateException.class);
        assertThat(store.changesSince(200, 1_000)).extracting(Change::sequence)
                .containsExactlyElementsOf(sequences(201, 300));
        assertThat(store.count("task", "")).isEqualTo(300);

        reopenWithRetention(100);
        assertThat(store.changesSince(200, 1_000)).hasSize(100);
        assertThatThrownBy(() -> store.changesSince(0, 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void commitsQueuedBeforeCloseAreFinished() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Long> acked = new CopyOnWriteArrayList<>();
        runConcurrently(8, t -> {
            for (int i = 0; i < 50; i++) {
                try {
                    store.commit(List.of(Mutation.create("task", t + "/" + i, bytes("v"))), Duration.ofSeconds(10));
                    acked.add(1L);
                } catch (StoreUnavailableException e) {
                    return; // closed under us
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                if (t == 0 && i == 25) {
                    store.close();
                }
            }
        });

        reopenStore();
        assertThat(failures).isEmpty();
        assertThat(store.count("task", "")).isEqualTo(acked.size());
    }

    private void reopenWithRetention(int retainedChanges) {
        store.close();
        store = null;
        store = SqliteStateStore.open(dir, retainedChanges);
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
