package io.berth.store.postgres;

import io.berth.core.store.Change;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure: checks a batch of transactions against the committed versions and numbers their changes.
 * Each transaction sees the committed state as the earlier transactions of the batch left it, and
 * each mutation sees the earlier mutations of its own transaction; a transaction whose expectation
 * fails is left out whole, with its {@link ConflictException}.
 */
final class BatchStaging {

    private BatchStaging() {
    }

    record Ref(String kind, String key) {
    }

    /** One transaction's outcome: its new versions (0 for a delete), or its conflict. */
    record Outcome(List<Long> versions, ConflictException conflict) {
    }

    /** The outcomes in the order of the transactions, and the changes to write, in sequence order. */
    record Staged(List<Outcome> outcomes, List<Change> changes) {
        Staged {
            outcomes = List.copyOf(outcomes);
            changes = List.copyOf(changes);
        }

        long lastSequence(long before) {
            return changes.isEmpty() ? before : changes.getLast().sequence();
        }
    }

    /** Every key the transactions touch, each once. */
    static Set<Ref> refs(List<List<Mutation>> transactions) {
        Set<Ref> refs = new LinkedHashSet<>();
        for (List<Mutation> tx : transactions) {
            for (Mutation m : tx) {
                refs.add(new Ref(m.kind(), m.key()));
            }
        }
        return refs;
    }

    /**
     * @param committed the committed version of each touched key that exists (absent keys are missing)
     * @param lastSequence the sequence of the last committed change
     */
    static Staged stage(List<List<Mutation>> transactions, Map<Ref, Long> committed, long lastSequence) {
        Map<Ref, Long> batch = new HashMap<>(committed);
        List<Outcome> outcomes = new ArrayList<>(transactions.size());
        List<Change> changes = new ArrayList<>();
        long seq = lastSequence;
        for (List<Mutation> tx : transactions) {
            Map<Ref, Long> txState = new HashMap<>();
            List<Change> txChanges = new ArrayList<>();
            List<Long> versions = new ArrayList<>(tx.size());
            ConflictException conflict = null;
            for (Mutation m : tx) {
                Ref ref = new Ref(m.kind(), m.key());
                Long current = txState.containsKey(ref) ? txState.get(ref) : batch.get(ref);
                long actual = current == null ? Mutation.ABSENT : current;
                if (m.expectedVersion() != Mutation.ANY && m.expectedVersion() != actual) {
                    conflict = new ConflictException(m.kind(), m.key(), m.expectedVersion(), actual);
                    break;
                }
                switch (m) {
                    case Mutation.Put put -> {
                        txState.put(ref, actual + 1);
                        txChanges.add(new Change(seq + txChanges.size() + 1, m.kind(), m.key(), actual + 1,
                                put.value()));
                        versions.add(actual + 1);
                    }
                    case Mutation.Delete delete -> {
                        if (current != null) {
                            txState.put(ref, null);
                            txChanges.add(new Change(seq + txChanges.size() + 1, m.kind(), m.key(), actual, null));
                        }
                        versions.add(0L);
                    }
                }
            }
            if (conflict != null) {
                outcomes.add(new Outcome(null, conflict));
                continue;
            }
            batch.putAll(txState);
            changes.addAll(txChanges);
            seq += txChanges.size();
            outcomes.add(new Outcome(List.copyOf(versions), null));
        }
        return new Staged(outcomes, changes);
    }
}
