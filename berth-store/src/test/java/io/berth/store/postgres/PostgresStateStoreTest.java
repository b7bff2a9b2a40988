package io.berth.store.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.store.Change;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import io.berth.testkit.postgres.PostgresCluster;
import io.berth.testkit.store.StateStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL (a private cluster, a fresh database per test), and more. */
class PostgresStateStoreTest extends StateStoreContract {

    private String database;

    private PostgresUrl url() {
        return PostgresUrl.parse(PostgresCluster.shared().storeUrl(database));
    }

    @Override
    protected StateStore newStore(Path dir) {
        database = PostgresCluster.shared().createDatabase();
        return PostgresStateStore.open(url());
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Override
    protected StateStore reopen(Path dir) {
        return PostgresStateStore.open(url());
    }

    @Test
    void keepsItsTablesAndTheSchemaVersionInTheDatabase() throws Exception {
        commit(Mutation.create("cluster", "a", bytes("x")));

        try (Connection c = DriverManager.getConnection(PostgresCluster.shared().jdbcUrl(database),
                PostgresCluster.USER, PostgresCluster.PASSWORD); Statement st = c.createStatement()) {
            assertThat(single(st, "SELECT max(version) FROM berth_schema_history WHERE success")).isEqualTo("1");
            assertThat(single(st, "SELECT kind || ' v' || version FROM berth_entities")).isEqualTo("cluster v1");
            assertThat(single(st, "SELECT last_sequence FROM berth_feed")).isEqualTo("1");
            assertThat(single(st, "SHOW synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void twoStoresOnOneDatabaseShareEntriesAndTheFeed() throws Exception {
        try (PostgresStateStore other = PostgresStateStore.open(url())) {
            List<Change> heardByOther = new CopyOnWriteArrayList<>();
            try (AutoCloseable sub = other.subscribe(0, heardByOther::add)) {
                commit(Mutation.create("cluster", "a", bytes("x")));
                other.commit(List.of(Mutation.create("cluster", "b", bytes("y"))), TIMEOUT);

                assertThat(other.get("cluster", "a")).map(Versioned::version).contains(1L);
                assertThat(store.get("cluster", "b")).map(Versioned::version).contains(1L);
                assertThat(store.lastSequence()).isEqualTo(2);
                awaitTrue(() -> heardByOther.size() == 2);
            }
            assertThat(heardByOther).extracting(StateStoreContract::line)
                    .containsExactly("1 cluster/a v1 =x", "2 cluster/b v1 =y");
        }
    }

    @Test
    void manyWritersOnOneAggregateAcrossStoresLoseNoUpdate() throws Exception {
        int stores = 3;
        int threadsPerStore = 4;
        int incrementsEach = 40;
        commit(Mutation.create("cluster", "counter", bytes("0")));
        StateStore[] all = new StateStore[stores];
        all[0] = store;
        for (int i = 1; i < stores; i++) {
            all[i] = PostgresStateStore.open(url());
        }
        AtomicLong conflicts = new AtomicLong();
        try {
            runConcurrently(stores * threadsPerStore, t -> {
                StateStore mine = all[t % stores];
                for (int i = 0; i < incrementsEach; i++) {
                    while (true) {
                        Versioned read = mine.get("cluster", "counter").orElseThrow();
                        long next = Long.parseLong(new String(read.value(), UTF_8)) + 1;
                        try {
                            mine.commit(List.of(Mutation.update(read, bytes(Long.toString(next)))), TIMEOUT);
                            break;
                        } catch (ConflictException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                }
            });
        } finally {
            for (int i = 1; i < stores; i++) {
                all[i].close();
            }
        }
        long total = (long) stores * threadsPerStore * incrementsEach;
        Versioned counter = store.get("cluster", "counter").orElseThrow();
        assertThat(new String(counter.value(), UTF_8)).isEqualTo(Long.toString(total));
        assertThat(counter.version()).isEqualTo(total + 1);
        assertThat(store.changesSince(0, (int) total + 10)).extracting(Change::sequence)
                .containsExactlyElementsOf(sequences(1, total + 1));
        assertThat(conflicts.get()).as("the writers did race").isPositive();
    }

    @Test
    void concurrentCommittersInTwoStoresGetOneDenseFeed() throws Exception {
        try (PostgresStateStore other = PostgresStateStore.open(url())) {
            runConcurrently(8, t -> {
                StateStore mine = t % 2 == 0 ? store : other;
                for (int i = 0; i < 40; i++) {
                    mine.commit(List.of(Mutation.create("task", t + "/" + i, bytes("v")),
                            Mutation.create("service", t + "/" + i, bytes("v"))), TIMEOUT);
                }
            });
        }
        List<Change> changes = store.changesSince(0, 10_000);
        assertThat(changes).extracting(Change::sequence).containsExactlyElementsOf(sequences(1, 640));
        for (int i = 0; i < changes.size(); i += 2) {
            assertThat(changes.get(i + 1).key()).as("a transaction's changes are adjacent")
                    .isEqualTo(changes.get(i).key());
        }
    }

    @Test
    void theChangeFeedKeepsTheRetainedChangesAndRefusesOlderOnes() {
        store.close();
        store = PostgresStateStore.open(url(), 100);
        for (int i = 1; i <= 300; i++) {
            commit(Mutation.create("task", "t" + i, bytes("v")));
        }

        assertThatThrownBy(() -> store.changesSince(0, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer retained");
        assertThatThrownBy(() -> store.subscribe(0, c -> { })).isInstanceOf(IllegalStateException.class);
        assertThat(store.changesSince(200, 1_000)).extracting(Change::sequence)
                .containsExactlyElementsOf(sequences(201, 300));
        assertThat(store.count("task", "")).isEqualTo(300);
    }

    @Test
    void afterTheDatabaseDropsEveryConnectionCommitsAndTheFeedCarryOn() throws Exception {
        List<Change> received = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = store.subscribe(0, received::add)) {
            commit(Mutation.create("cluster", "before", bytes("x")));
            awaitTrue(() -> received.size() == 1);

            PostgresCluster.shared().execute("SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity"
                    + " WHERE datname = '" + database + "' AND pid <> pg_backend_pid()");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) { // a commit on a connection that was cut fails, unapplied or not: the caller retries
                try {
                    store.commit(List.of(new Mutation.Put("cluster", "after", Mutation.ANY, bytes("y"))), TIMEOUT);
                    break;
                } catch (StoreUnavailableException e) {
                    assertThat(System.nanoTime()).as("store still unavailable: " + e).isLessThan(deadline);
                    Thread.sleep(200);
                }
            }
            awaitTrue(() -> received.stream().anyMatch(c -> c.key().equals("after")));
        }
        assertThat(store.get("cluster", "after")).isPresent();
        assertThat(received).extracting(Change::sequence)
                .containsExactlyElementsOf(sequences(1, store.lastSequence()));
    }

    @Test
    void anUnreachableDatabaseIsUnavailableAndTheMessageHidesThePassword() {
        PostgresUrl nowhere = PostgresUrl.parse("postgresql://berth:s3cret@127.0.0.1:1/nothing");

        assertThatThrownBy(() -> PostgresStateStore.open(nowhere, 100, Duration.ofSeconds(1)))
                .isInstanceOf(StoreUnavailableException.class).message().doesNotContain("s3cret");
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
