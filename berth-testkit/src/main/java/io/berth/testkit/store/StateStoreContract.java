package io.berth.testkit.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.core.store.Change;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link StateStore} adapter must show. An adapter's test extends this class and
 * says how to make a store; the fake and every real adapter run the same suite:
 *
 * <pre>{@code
 * class SqliteStateStoreTest extends StateStoreContract {
 *     protected StateStore newStore(Path dir) { return SqliteStateStore.open(dir); }
 *     protected boolean durable() { return true; }
 *     protected StateStore reopen(Path dir) { return SqliteStateStore.open(dir); }
 * }
 * }</pre>
 *
 * Each test gets a fresh store in a fresh temporary directory, closed afterwards.
 */
public abstract class StateStoreContract {

    protected static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String KIND = "cluster";

    @TempDir
    protected Path dir;

    /** The store under test; {@link #reopenStore()} replaces it. */
    protected StateStore store;

    /** A new, empty store keeping its files (if any) in {@code dir}. */
    protected abstract StateStore newStore(Path dir);

    /** Whether the adapter persists, and so supports {@link #reopen(Path)}. */
    protected boolean durable() {
        return false;
    }

    /** The store kept in {@code dir} by an earlier, closed store. Only called when {@link #durable()}. */
    protected StateStore reopen(Path dir) {
        throw new UnsupportedOperationException("not a durable adapter");
    }

    @BeforeEach
    protected final void openContractStore() {
        store = newStore(dir);
    }

    @AfterEach
    protected final void closeContractStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- create, update, delete with expectations ----

    @Test
    void createdEntryHasVersionOneAndItsValue() {
        assertThat(commit(Mutation.create(KIND, "a", bytes("x")))).containsExactly(1L);

        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v1 =x");
    }

    @Test
    void getOfMissingKeyIsEmpty() {
        assertThat(store.get(KIND, "missing")).isEmpty();
        assertThat(store.get("no-such-kind", "missing")).isEmpty();
    }

    @Test
    void createOfExistingKeyConflictsAndKeepsTheOldValue() {
        commit(Mutation.create(KIND, "a", bytes("x")));

        assertThatThrownBy(() -> commit(Mutation.create(KIND, "a", bytes("y"))))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.kind()).isEqualTo(KIND);
                    assertThat(e.key()).isEqualTo("a");
                });
        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v1 =x");
    }

    @Test
    void updateWithTheReadVersionBumpsTheVersion() {
        commit(Mutation.create(KIND, "a", bytes("x")));
        Versioned read = store.get(KIND, "a").orElseThrow();

        assertThat(commit(Mutation.update(read, bytes("y")))).containsExactly(2L);
        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v2 =y");
    }

    @Test
    void updateWithAStaleVersionConflicts() {
        commit(Mutation.create(KIND, "a", bytes("x")));
        Versioned stale = store.get(KIND, "a").orElseThrow();
        commit(Mutation.update(stale, bytes("y")));

        assertThatThrownBy(() -> commit(Mutation.update(stale, bytes("z"))))
                .isInstanceOf(ConflictException.class);
        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v2 =y");
    }

    @Test
    void updateOfAMissingKeyConflicts() {
        assertThatThrownBy(() -> commit(new Mutation.Put(KIND, "a", 1, bytes("x"))))
                .isInstanceOf(ConflictException.class);
        assertThat(store.get(KIND, "a")).isEmpty();
    }

    @Test
    void putWithAnyCreatesOrOverwrites() {
        assertThat(commit(new Mutation.Put(KIND, "a", Mutation.ANY, bytes("x")))).containsExactly(1L);
        assertThat(commit(new Mutation.Put(KIND, "a", Mutation.ANY, bytes("y")))).containsExactly(2L);

        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v2 =y");
    }

    @Test
    void deleteWithTheReadVersionRemovesTheEntry() {
        commit(Mutation.create(KIND, "a", bytes("x")));

        assertThat(commit(Mutation.delete(store.get(KIND, "a").orElseThrow()))).containsExactly(0L);
        assertThat(store.get(KIND, "a")).isEmpty();
    }

    @Test
    void deleteWithAStaleVersionConflicts() {
        commit(Mutation.create(KIND, "a", bytes("x")));
        Versioned stale = store.get(KIND, "a").orElseThrow();
        commit(Mutation.update(stale, bytes("y")));

        assertThatThrownBy(() -> commit(Mutation.delete(stale))).isInstanceOf(ConflictException.class);
        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v2 =y");
    }

    @Test
    void deleteWithAnyOfAMissingKeyIsANoOpWithoutAChange() {
        long before = store.lastSequence();

        assertThat(commit(new Mutation.Delete(KIND, "missing", Mutation.ANY))).containsExactly(0L);
        assertThat(store.lastSequence()).isEqualTo(before);
        assertThat(store.changesSince(before, 10)).isEmpty();
    }

    @Test
    void recreatedKeyStartsAgainAtVersionOne() {
        commit(Mutation.create(KIND, "a", bytes("x")));
        commit(Mutation.delete(store.get(KIND, "a").orElseThrow()));

        assertThat(commit(Mutation.create(KIND, "a", bytes("again")))).containsExactly(1L);
    }

    @Test
    void kindsAreSeparateNamespaces() {
        commit(Mutation.create("cluster", "a", bytes("c")), Mutation.create("service", "a", bytes("s")));

        assertThat(describe(store.get("cluster", "a"))).isEqualTo("cluster/a v1 =c");
        assertThat(describe(store.get("service", "a"))).isEqualTo("service/a v1 =s");
        assertThat(store.count("cluster", "")).isEqualTo(1);
    }

    @Test
    void commitReturnsTheNewVersionOfEachMutationInOrder() {
        commit(Mutation.create(KIND, "b", bytes("b")), Mutation.create(KIND, "c", bytes("c")));
        Versioned b = store.get(KIND, "b").orElseThrow();
        Versioned c = store.get(KIND, "c").orElseThrow();

        List<Long> versions = commit(
                Mutation.create(KIND, "a", bytes("a")), Mutation.update(b, bytes("b2")), Mutation.delete(c));

        assertThat(versions).containsExactly(1L, 2L, 0L);
    }

    @Test
    void laterMutationsOfATransactionSeeTheEarlierOnes() {
        List<Long> versions = commit(
                Mutation.create(KIND, "a", bytes("x")), new Mutation.Put(KIND, "a", 1, bytes("y")));

        assertThat(versions).containsExactly(1L, 2L);
        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v2 =y");
        assertThat(store.changesSince(0, 10)).hasSize(2);
    }

    @Test
    void emptyTransactionChangesNothing() {
        assertThat(store.commit(List.of(), TIMEOUT)).isEmpty();
        assertThat(store.lastSequence()).isZero();
    }

    @Test
    void aFailedExpectationAnywhereAppliesNothing() {
        commit(Mutation.create(KIND, "b", bytes("b")));
        long before = store.lastSequence();

        assertThatThrownBy(() -> commit(
                        Mutation.create(KIND, "a", bytes("a")),
                        new Mutation.Put(KIND, "b", 7, bytes("b2")),
                        Mutation.create(KIND, "c", bytes("c"))))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.key()).isEqualTo("b"));

        assertThat(store.get(KIND, "a")).isEmpty();
        assertThat(store.get(KIND, "c")).isEmpty();
        assertThat(describe(store.get(KIND, "b"))).isEqualTo("cluster/b v1 =b");
        assertThat(store.lastSequence()).isEqualTo(before);
        assertThat(store.changesSince(before, 10)).isEmpty();
    }

    // ---- scan and count ----

    @Test
    void scanReturnsKeysInUtf16CodeUnitOrder() {
        List<String> keys = new ArrayList<>(List.of("b", "a", "ab", "a\uFF61", "a\uD83D\uDE00", "B"));
        Collections.shuffle(keys, new Random(7));
        for (String key : keys) {
            commit(Mutation.create(KIND, key, bytes(key)));
        }

        assertThat(keysOf(store.scan(KIND, "", null, 100)))
                .containsExactly("B", "a", "ab", "a\uD83D\uDE00", "a\uFF61", "b");
    }

    @Test
    void scanReturnsOnlyKeysWithThePrefix() {
        createAll("sv", "svc/1", "svc/2", "svd/1", "task/1");

        assertThat(keysOf(store.scan(KIND, "svc/", null, 100))).containsExactly("svc/1", "svc/2");
        assertThat(keysOf(store.scan(KIND, "", null, 100))).hasSize(5);
        assertThat(store.scan(KIND, "zzz", null, 100)).isEmpty();
        assertThat(store.scan("no-such-kind", "", null, 100)).isEmpty();
    }

    @Test
    void scanStartsAfterTheAfterKey() {
        createAll("k1", "k2", "k3", "k5");

        assertThat(keysOf(store.scan(KIND, "k", "k2", 100))).containsExactly("k3", "k5");
        assertThat(keysOf(store.scan(KIND, "k", "k4", 100))).containsExactly("k5");
        assertThat(keysOf(store.scan(KIND, "k", "a", 100))).containsExactly("k1", "k2", "k3", "k5");
        assertThat(store.scan(KIND, "k", "k5", 100)).isEmpty();
        assertThat(store.scan(KIND, "k", "z", 100)).isEmpty();
    }

    @Test
    void scanReturnsAtMostLimitEntriesAndPagesThroughAll() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(String.format("task/%03d", i));
        }
        createAll(all.toArray(String[]::new));

        List<String> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        List<Versioned> page;
        do {
            page = store.scan(KIND, "task/", after, 10);
            assertThat(page.size()).isLessThanOrEqualTo(10);
            paged.addAll(keysOf(page));
            after = page.isEmpty() ? after : page.getLast().key();
            pages++;
        } while (!page.isEmpty());

        assertThat(paged).isEqualTo(all);
        assertThat(pages).isEqualTo(4);
        assertThat(store.scan(KIND, "", null, 0)).isEmpty();
    }

    @Test
    void scanReturnsCurrentVersionsAndValues() {
        commit(Mutation.create(KIND, "a", bytes("x")));
        commit(Mutation.update(store.get(KIND, "a").orElseThrow(), bytes("y")));

        assertThat(store.scan(KIND, "", null, 10)).singleElement()
                .satisfies(v -> assertThat(describe(Optional.of(v))).isEqualTo("cluster/a v2 =y"));
    }

    @Test
    void countCountsKeysWithThePrefix() {
        createAll("svc/1", "svc/2", "svd/1", "task/1");

        assertThat(store.count(KIND, "svc/")).isEqualTo(2);
        assertThat(store.count(KIND, "sv")).isEqualTo(3);
        assertThat(store.count(KIND, "")).isEqualTo(4);
        assertThat(store.count(KIND, "x")).isZero();
        assertThat(store.count("no-such-kind", "")).isZero();

        commit(Mutation.delete(store.get(KIND, "svc/1").orElseThrow()));
        assertThat(store.count(KIND, "svc/")).isEqualTo(1);
    }

    // ---- change feed ----

    @Test
    void aNewStoreHasNoChanges() {
        assertThat(store.lastSequence()).isZero();
        assertThat(store.changesSince(0, 100)).isEmpty();
    }

    @Test
    void changesAreDenseInCommitOrderAndDeletesCarryNoValue() {
        commit(Mutation.create(KIND, "a", bytes("1")));
        commit(Mutation.update(store.get(KIND, "a").orElseThrow(), bytes("2")));
        commit(Mutation.create(KIND, "b", bytes("3")), Mutation.create("service", "c", bytes("4")));
        commit(Mutation.delete(store.get(KIND, "a").orElseThrow()));

        assertThat(store.lastSequence()).isEqualTo(5);
        assertThat(store.changesSince(0, 100)).extracting(StateStoreContract::line).containsExactly(
                "1 cluster/a v1 =1",
                "2 cluster/a v2 =2",
                "3 cluster/b v1 =3",
                "4 service/c v1 =4",
                "5 cluster/a v2 deleted");
    }

    @Test
    void changesSinceStartsAfterTheSequenceAndStopsAtTheLimit() {
        for (int i = 1; i <= 10; i++) {
            commit(Mutation.create(KIND, "k" + i, bytes("v" + i)));
        }

        assertThat(store.changesSince(3, 4)).extracting(Change::sequence).containsExactly(4L, 5L, 6L, 7L);
        assertThat(store.changesSince(8, 100)).extracting(Change::sequence).containsExactly(9L, 10L);
        assertThat(store.changesSince(10, 100)).isEmpty();
        assertThat(store.changesSince(0, 0)).isEmpty();
    }

    @Test
    void subscriptionReplaysPastChangesThenDeliversLiveOnes() throws Exception {
        for (int i = 1; i <= 3; i++) {
            commit(Mutation.create(KIND, "k" + i, bytes("v" + i)));
        }
        List<Change> first = new CopyOnWriteArrayList<>();
        List<Change> second = new CopyOnWriteArrayList<>();

        try (AutoCloseable a = store.subscribe(1, first::add); AutoCloseable b = store.subscribe(0, second::add)) {
            commit(Mutation.create(KIND, "k4", bytes("v4")));
            commit(Mutation.create(KIND, "k5", bytes("v5")));

            awaitTrue(() -> first.size() >= 4 && second.size() >= 5);
        }
        assertThat(first).extracting(Change::sequence).containsExactly(2L, 3L, 4L, 5L);
        assertThat(second).extracting(Change::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(line(first.getLast())).isEqualTo("5 cluster/k5 v1 =v5");
    }

    @Test
    void subscribingDuringCommitsLeavesNoGapAndNoDuplicate() throws Exception {
        int total = 400;
        List<Change> received = new CopyOnWriteArrayList<>();
        CountDownLatch halfway = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writing = writer.submit(() -> {
                for (int i = 0; i < total; i++) {
                    commit(Mutation.create(KIND, "k" + i, bytes("v")));
                    if (i == total / 2) {
                        halfway.countDown();
                    }
                }
            });
            assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
            try (AutoCloseable sub = store.subscribe(0, received::add)) {
                writing.get(60, TimeUnit.SECONDS);
                awaitTrue(() -> received.size() >= total);
            }
        } finally {
            writer.shutdownNow();
        }
        assertThat(received).extracting(Change::sequence)
                .containsExactlyElementsOf(sequences(1, total));
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() throws Exception {
        List<Change> received = new CopyOnWriteArrayList<>();
        AutoCloseable sub = store.subscribe(0, received::add);
        commit(Mutation.create(KIND, "a", bytes("x")));
        awaitTrue(() -> received.size() == 1);

        sub.close();
        commit(Mutation.create(KIND, "b", bytes("y")));
        Thread.sleep(100);

        assertThat(received).hasSize(1);
    }

    @Test
    void aSlowListenerDoesNotStallCommits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Change> received = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = store.subscribe(0, c -> {
            awaitQuietly(release);
            received.add(c);
        })) {
            for (int i = 0; i < 50; i++) {
                store.commit(List.of(Mutation.create(KIND, "k" + i, bytes("v"))), Duration.ofSeconds(2));
            }
            assertThat(received).isEmpty();
            release.countDown();
            awaitTrue(() -> received.size() == 50);
        }
        assertThat(received).extracting(Change::sequence).containsExactlyElementsOf(sequences(1, 50));
    }

    @Test
    void aFailingListenerKeepsReceivingLaterChanges() throws Exception {
        List<Change> received = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = store.subscribe(0, c -> {
            received.add(c);
            if (c.sequence() == 1) {
                throw new IllegalStateException("listener bug");
            }
        })) {
            commit(Mutation.create(KIND, "a", bytes("x")));
            commit(Mutation.create(KIND, "b", bytes("y")));
            awaitTrue(() -> received.size() == 2);
        }
        assertThat(received).extracting(Change::sequence).containsExactly(1L, 2L);
    }

    // ---- wipe ----

    @Test
    void wipeRemovesEntriesAndChangesButTheSequenceKeepsCounting() {
        createAll("a", "b", "c");

        store.wipe(TIMEOUT);

        assertThat(store.get(KIND, "a")).isEmpty();
        assertThat(store.count(KIND, "")).isZero();
        assertThat(store.changesSince(0, 100)).isEmpty();
        assertThat(store.lastSequence()).isEqualTo(3);
        assertThat(commit(Mutation.create(KIND, "a", bytes("again")))).containsExactly(1L);
        assertThat(store.changesSince(0, 100)).extracting(StateStoreContract::line)
                .containsExactly("4 cluster/a v1 =again");
    }

    // ---- durability (durable adapters only) ----

    @Test
    void committedStateSurvivesReopen() {
        assumeTrue(durable(), "not a durable adapter");
        commit(Mutation.create(KIND, "a", bytes("x")), Mutation.create("service", "s", bytes("s")));
        commit(Mutation.update(store.get(KIND, "a").orElseThrow(), bytes("y")));
        commit(Mutation.create(KIND, "b", bytes("z")));
        commit(Mutation.delete(store.get(KIND, "b").orElseThrow()));

        reopenStore();

        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v2 =y");
        assertThat(describe(store.get("service", "s"))).isEqualTo("service/s v1 =s");
        assertThat(store.get(KIND, "b")).isEmpty();
        assertThat(store.lastSequence()).isEqualTo(5);
        assertThat(store.changesSince(0, 100)).extracting(StateStoreContract::line).containsExactly(
                "1 cluster/a v1 =x", "2 service/s v1 =s", "3 cluster/a v2 =y", "4 cluster/b v1 =z",
                "5 cluster/b v1 deleted");
        assertThat(commit(Mutation.create(KIND, "c", bytes("c")))).containsExactly(1L);
        assertThat(store.lastSequence()).isEqualTo(6);
    }

    @Test
    void aSubscriptionAfterReopenReplaysEarlierChanges() throws Exception {
        assumeTrue(durable(), "not a durable adapter");
        createAll("a", "b", "c");
        reopenStore();

        List<Change> received = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = store.subscribe(1, received::add)) {
            commit(Mutation.create(KIND, "d", bytes("d")));
            awaitTrue(() -> received.size() >= 3);
        }
        assertThat(received).extracting(Change::sequence).containsExactly(2L, 3L, 4L);
    }

    @Test
    void wipeSurvivesReopen() {
        assumeTrue(durable(), "not a durable adapter");
        createAll("a", "b");
        store.wipe(TIMEOUT);

        reopenStore();

        assertThat(store.count(KIND, "")).isZero();
        assertThat(store.changesSince(0, 100)).isEmpty();
        assertThat(store.lastSequence()).isEqualTo(2);
        commit(Mutation.create(KIND, "a", bytes("x")));
        assertThat(store.changesSince(0, 100)).extracting(Change::sequence).containsExactly(3L);
    }

    // ---- concurrency ----

    @Test
    void concurrentIncrementsWithRetryNeverLoseAnUpdate() throws Exception {
        int threads = 8;
        int incrementsEach = 100;
        commit(Mutation.create(KIND, "counter", bytes("0")));
        AtomicLong conflicts = new AtomicLong();

        runConcurrently(threads, t -> {
            for (int i = 0; i < incrementsEach; i++) {
                while (true) {
                    Versioned read = store.get(KIND, "counter").orElseThrow();
                    long next = Long.parseLong(new String(read.value(), UTF_8)) + 1;
                    try {
                        store.commit(List.of(Mutation.update(read, bytes(Long.toString(next)))), TIMEOUT);
                        break;
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    }
                }
            }
        });

        int total = threads * incrementsEach;
        Versioned counter = store.get(KIND, "counter").orElseThrow();
        assertThat(new String(counter.value(), UTF_8)).isEqualTo(Integer.toString(total));
        assertThat(counter.version()).isEqualTo(total + 1L);
        assertThat(store.lastSequence()).isEqualTo(total + 1L);
    }

    @Test
    void scansAndCountsSeeWholeTransactions() throws Exception {
        commit(Mutation.create(KIND, "token/0", bytes("0")));
        AtomicBoolean done = new AtomicBoolean();
        List<String> torn = new CopyOnWriteArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> reading = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reading.add(readers.submit(() -> {
                    while (!done.get()) {
                        int count = store.count(KIND, "token/");
                        List<Versioned> scanned = store.scan(KIND, "token/", null, 10);
                        if (count != 1 || scanned.size() != 1) {
                            torn.add("count " + count + ", scan " + keysOf(scanned));
                        }
                    }
                }));
            }
            for (int i = 1; i <= 300; i++) {
                Versioned current = store.get(KIND, "token/" + (i - 1)).orElseThrow();
                commit(Mutation.delete(current), Mutation.create(KIND, "token/" + i, bytes(Integer.toString(i))));
            }
            done.set(true);
            for (Future<?> f : reading) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
            readers.shutdownNow();
        }
        assertThat(torn).isEmpty();
    }

    @Test
    void aCommitIsVisibleToEveryThreadOnceItReturns() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 200; i++) {
                String key = "k" + i;
                long version = commit(Mutation.create(KIND, key, bytes("v"))).getFirst();
                Optional<Versioned> seen = other.submit(() -> store.get(KIND, key)).get(10, TimeUnit.SECONDS);
                assertThat(seen).map(Versioned::version).contains(version);
                assertThat(store.lastSequence()).isGreaterThanOrEqualTo(i + 1L);
            }
        } finally {
            other.shutdownNow();
        }
        assertThat(store.count(KIND, "k")).isEqualTo(200);
    }

    @Test
    void concurrentCommittersToDistinctKeysAllSucceedAndGetDenseSequences() throws Exception {
        int threads = 16;
        int each = 50;

        runConcurrently(threads, t -> {
            for (int i = 0; i < each; i++) {
                commit(Mutation.create(KIND, "t" + t + "/" + i, bytes("v")),
                        Mutation.create("service", "t" + t + "/" + i, bytes("v")));
            }
        });

        assertThat(store.count(KIND, "")).isEqualTo(threads * each);
        List<Change> changes = store.changesSince(0, 10 * threads * each);
        assertThat(changes).extracting(Change::sequence)
                .containsExactlyElementsOf(sequences(1, 2 * threads * each));
        for (int i = 0; i < changes.size(); i += 2) {
            assertThat(changes.get(i + 1).key()).as("a transaction's changes are adjacent")
                    .isEqualTo(changes.get(i).key());
        }
    }

    @Test
    void aCommitAfterCloseIsUnavailable() {
        store.close();

        assertThatThrownBy(() -> commit(Mutation.create(KIND, "a", bytes("x"))))
                .isInstanceOf(StoreUnavailableException.class);
        store = null;
    }

    // ---- helpers ----

    protected final List<Long> commit(Mutation... mutations) {
        return store.commit(List.of(mutations), TIMEOUT);
    }

    /** Closes the store under test and opens the one persisted in {@link #dir}. */
    protected final void reopenStore() {
        store.close();
        store = null;
        store = reopen(dir);
    }

    private void createAll(String... keys) {
        for (String key : keys) {
            commit(Mutation.create(KIND, key, bytes(key)));
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> keysOf(List<Versioned> entries) {
        return entries.stream().map(Versioned::key).toList();
    }

    private static List<Long> sequences(long first, long last) {
        List<Long> result = new ArrayList<>();
        for (long s = first; s <= last; s++) {
            result.add(s);
        }
        return result;
    }

    private static String describe(Optional<Versioned> entry) {
        return entry.map(v -> v.kind() + "/" + v.key() + " v" + v.version() + " =" + new String(v.value(), UTF_8))
                .orElse("absent");
    }

    private static String line(Change c) {
        return c.sequence() + " " + c.kind() + "/" + c.key() + " v" + c.version()
                + (c.deleted() ? " deleted" : " =" + new String(c.value(), UTF_8));
    }

    protected interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} threads started together; rethrows the first failure. */
    protected static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    protected static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not met within 30 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
