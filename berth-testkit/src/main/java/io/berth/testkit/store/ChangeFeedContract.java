package io.berth.testkit.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.core.store.Change;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StoreUnavailableException;
import io.berth.core.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Part of {@link StateStoreContract}: the change feed, wipe, durability across reopen, and
 * behaviour under concurrent use. Adapters extend {@link StateStoreContract}, not this class.
 */
public abstract class ChangeFeedContract extends StoreContractFixture {

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
    void catchUpHandsOverTheChangesThroughTheGivenSequenceInBatches() {
        for (int i = 1; i <= 10; i++) {
            commit(Mutation.create(KIND, "k" + i, bytes("v" + i)));
        }
        List<Long> seen = new java.util.ArrayList<>();

        assertThat(store.catchUp(2, 8, 3, c -> seen.add(c.sequence()))).isEqualTo(8);
        assertThat(seen).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(store.catchUp(8, 8, 3, c -> seen.add(c.sequence()))).isEqualTo(8);
        assertThat(seen).hasSize(6);
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
}
