package io.berth.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

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
 * Each test gets a fresh store in a fresh temporary directory, closed afterwards. The suite is split
 * by subject: entries (writes with expectations, scan, count) here, the change feed, wipe,
 * durability and concurrency in {@link ChangeFeedContract}, the fixture in
 * {@link StoreContractFixture}.
 */
public abstract class StateStoreContract extends ChangeFeedContract {

    // ---- create, update, delete with expectations ----

    @Test
    void createdEntryHasVersionOneAndItsValue() {
        assertThat(commit(Mutation.create(KIND, "a", bytes("x")))).containsExactly(1L);

        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v1 =x");
    }

    @Test
    void submissionsFromOneThreadApplyInOrderEachSeeingTheOnesBefore() {
        commit(Mutation.create(KIND, "a", bytes("v1")));
        var first = store.submit(List.of(new Mutation.Put(KIND, "a", 1, bytes("v2"))), TIMEOUT);
        var second = store.submit(List.of(new Mutation.Put(KIND, "a", 2, bytes("v3"))), TIMEOUT);
        var stale = store.submit(List.of(new Mutation.Put(KIND, "a", 2, bytes("lost"))), TIMEOUT);

        assertThat(first.await()).containsExactly(2L);
        assertThat(second.await()).containsExactly(3L);
        assertThatThrownBy(stale::await).isInstanceOf(ConflictException.class);
        assertThat(describe(store.get(KIND, "a"))).isEqualTo("cluster/a v3 =v3");
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
}
