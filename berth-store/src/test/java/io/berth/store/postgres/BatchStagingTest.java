package io.berth.store.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.store.Change;
import io.berth.core.store.Mutation;
import io.berth.store.postgres.BatchStaging.Ref;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchStagingTest {

    private static byte[] v(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void laterTransactionsOfABatchSeeTheEarlierOnesAndSequencesFollowTheLastCommitted() {
        List<List<Mutation>> txs = List.of(
                List.of(Mutation.create("c", "a", v("1"))),
                List.of(new Mutation.Put("c", "a", 1, v("2")), new Mutation.Put("c", "b", 3, v("x"))));

        BatchStaging.Staged staged = BatchStaging.stage(txs, Map.of(new Ref("c", "b"), 3L), 41);

        assertThat(staged.outcomes()).extracting(BatchStaging.Outcome::versions)
                .containsExactly(List.of(1L), List.of(2L, 4L));
        assertThat(staged.changes()).extracting(Change::sequence, Change::key, Change::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(42L, "a", 1L),
                        org.assertj.core.groups.Tuple.tuple(43L, "a", 2L),
                        org.assertj.core.groups.Tuple.tuple(44L, "b", 4L));
        assertThat(staged.lastSequence(41)).isEqualTo(44);
    }

    @Test
    void aConflictLeavesItsWholeTransactionOutAndTheRestGoesOn() {
        List<List<Mutation>> txs = List.of(
                List.of(Mutation.create("c", "x", v("1")), new Mutation.Put("c", "a", 5, v("stale"))),
                List.of(new Mutation.Put("c", "a", 1, v("ok"))));

        BatchStaging.Staged staged = BatchStaging.stage(txs, Map.of(new Ref("c", "a"), 1L), 0);

        assertThat(staged.outcomes().get(0).conflict()).isNotNull()
                .satisfies(e -> assertThat(e.key()).isEqualTo("a"));
        assertThat(staged.outcomes().get(1).versions()).containsExactly(2L);
        assertThat(staged.changes()).extracting(Change::sequence, Change::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "a"));
    }

    @Test
    void deletesCarryTheDeletedVersionAndADeleteOfNothingWithAnyIsNoChange() {
        List<List<Mutation>> txs = List.of(List.of(
                new Mutation.Delete("c", "a", 2), new Mutation.Delete("c", "missing", Mutation.ANY),
                Mutation.create("c", "a", v("again"))));

        BatchStaging.Staged staged = BatchStaging.stage(txs, Map.of(new Ref("c", "a"), 2L), 7);

        assertThat(staged.outcomes().getFirst().versions()).containsExactly(0L, 0L, 1L);
        assertThat(staged.changes()).extracting(Change::sequence, Change::version, Change::deleted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(8L, 2L, true),
                        org.assertj.core.groups.Tuple.tuple(9L, 1L, false));
    }

    @Test
    void refsListEachTouchedKeyOnce() {
        assertThat(BatchStaging.refs(List.of(List.of(Mutation.create("c", "a", v("1"))),
                List.of(new Mutation.Delete("c", "a", Mutation.ANY), Mutation.create("s", "a", v("2"))))))
                .containsExactly(new Ref("c", "a"), new Ref("s", "a"));
    }
}
