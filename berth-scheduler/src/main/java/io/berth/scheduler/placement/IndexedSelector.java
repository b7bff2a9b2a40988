package io.berth.scheduler.placement;

import io.berth.scheduler.placement.PlacementState.Kind;
import io.berth.scheduler.placement.PlacementState.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The chain for strategies shaped {@code spread(attribute)* then (binpack | spread(instanceId))*}
 * (no random): the instances are grouped into buckets by their tuple of spread values, and each
 * bucket keeps its feasible instances in a sorted set by the per-instance keys. A task costs a
 * pass over the buckets (few: one per Availability Zone, say) and O(log n) set updates, instead of
 * a pass over every instance. A call placing k tasks keeps only the k best instances of a bucket,
 * so a RunTask of 10 on thousands of instances costs one pass to build the index and little else.
 *
 * <p>Sound because spread counts are the same for every instance of a bucket, and a per-instance
 * key changes only for the instance that gets the task, which is taken out of its set before the
 * change and put back after.
 */
final class IndexedSelector implements Selector {
    private final PlacementState state;
    private final Level[] shared;
    private final Level[] perInstance;
    private final Bucket[] buckets;
    private final Bucket[] bucketOf;
    private final Comparator<Integer> order;

    private record Bucket(int[] values, TreeSet<Integer> feasible) {
    }

    /** Whether {@code levels} has the shape this selector handles. */
    static boolean handles(Level[] levels) {
        boolean seenPerInstance = false;
        for (Level level : levels) {
            if (level.kind() == Kind.RANDOM) {
                return false;
            }
            if (level.perInstance()) {
                seenPerInstance = true;
            } else if (seenPerInstance) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param tasks how many tasks the call places at most: each bucket keeps only that many of its
     *     best feasible instances, as no more can be taken from it (a placement changes the key of
     *     the instance it chose only, so the best untouched instance is always among those kept)
     */
    IndexedSelector(PlacementState state, int tasks) {
        this.state = state;
        Level[] levels = state.levels();
        if (!handles(levels)) {
            throw new IllegalArgumentException("strategies not handled by the index: " + Arrays.toString(levels));
        }
        int firstPerInstance = 0;
        while (firstPerInstance < levels.length && !levels[firstPerInstance].perInstance()) {
            firstPerInstance++;
        }
        shared = Arrays.copyOfRange(levels, 0, firstPerInstance);
        perInstance = Arrays.copyOfRange(levels, firstPerInstance, levels.length);
        order = (a, b) -> {
            for (Level level : perInstance) {
                int c = Integer.compare(state.key(level, a), state.key(level, b));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a, b);
        };
        long combinations = 1;
        for (Level level : shared) {
            combinations *= state.valueCount(level);
        }
        // buckets by the tuple of spread values: an array indexed by the tuple in mixed radix when
        // it is small (the usual case: a zone or two), else a map keyed by the tuple
        Bucket[] table = combinations <= 1 << 16 ? new Bucket[(int) combinations] : null;
        Map<List<Integer>, Bucket> byValues = table == null ? new HashMap<>() : null;
        List<Bucket> all = new ArrayList<>();
        bucketOf = new Bucket[state.size];
        for (int i = 0; i < state.size; i++) {
            Bucket b;
            if (table != null) {
                int slot = 0;
                for (Level level : shared) {
                    slot = slot * state.valueCount(level) + state.value(level, i);
                }
                b = table[slot];
                if (b == null) {
                    b = new Bucket(values(i), new TreeSet<>(order));
                    table[slot] = b;
                    all.add(b);
                }
            } else {
                int[] values = values(i);
                b = byValues.computeIfAbsent(Arrays.stream(values).boxed().toList(), k -> {
                    Bucket created = new Bucket(values, new TreeSet<>(order));
                    all.add(created);
                    return created;
                });
            }
            bucketOf[i] = b;
            if (state.feasible[i]) {
                TreeSet<Integer> kept = b.feasible;
                if (kept.size() < tasks) {
                    kept.add(i);
                } else if (order.compare(i, kept.last()) < 0) {
                    kept.pollLast();
                    kept.add(i);
                }
            }
        }
        buckets = all.toArray(new Bucket[0]);
    }

    private int[] values(int i) {
        int[] values = new int[shared.length];
        for (int s = 0; s < shared.length; s++) {
            values[s] = state.value(shared[s], i);
        }
        return values;
    }

    @Override
    public int select() {
        Bucket best = null;
        int chosen = -1;
        for (Bucket b : buckets) {
            if (b.feasible.isEmpty()) {
                continue;
            }
            int c = best == null ? -1 : compareCounts(b, best);
            if (c < 0) {
                best = b;
                chosen = b.feasible.first();
            } else if (c == 0) {
                int first = b.feasible.first();
                if (order.compare(first, chosen) < 0) {
                    chosen = first;
                }
            }
        }
        return chosen;
    }

    private int compareCounts(Bucket a, Bucket b) {
        for (int s = 0; s < shared.length; s++) {
            int c = Integer.compare(state.tasksWithValue(shared[s], a.values[s]),
                    state.tasksWithValue(shared[s], b.values[s]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public void place(int i) {
        Bucket b = bucketOf[i];
        b.feasible.remove(i);
        state.place(i);
        if (state.feasible[i]) {
            b.feasible.add(i);
        }
    }
}
