package io.berth.scheduler.placement;

import io.berth.scheduler.placement.PlacementState.Kind;
import io.berth.scheduler.placement.PlacementState.Level;
import java.util.random.RandomGenerator;

/**
 * The literal chain: collect the feasible instances (in instance order), keep those with the
 * lowest key of the first strategy, then of the next, ...; random draws one of those left. O(n x
 * strategies) per task, no allocation.
 */
final class ScanSelector implements Selector {
    private final PlacementState state;
    private final Level[] levels;
    private final RandomGenerator random;
    private final int[] candidates;

    ScanSelector(PlacementState state, RandomGenerator random) {
        this.state = state;
        this.levels = state.levels();
        this.random = random;
        this.candidates = new int[state.size];
    }

    @Override
    public int select() {
        int size = 0;
        for (int i = 0; i < state.size; i++) {
            if (state.feasible[i]) {
                candidates[size++] = i;
            }
        }
        if (size == 0) {
            return -1;
        }
        for (Level level : levels) {
            if (size == 1) {
                break;
            }
            if (level.kind() == Kind.RANDOM) {
                return candidates[random.nextInt(size)];
            }
            int best = Integer.MAX_VALUE;
            for (int k = 0; k < size; k++) {
                best = Math.min(best, state.key(level, candidates[k]));
            }
            int kept = 0;
            for (int k = 0; k < size; k++) {
                if (state.key(level, candidates[k]) == best) {
                    candidates[kept++] = candidates[k];
                }
            }
            size = kept;
        }
        return candidates[0];
    }

    @Override
    public void place(int i) {
        state.place(i);
    }
}
