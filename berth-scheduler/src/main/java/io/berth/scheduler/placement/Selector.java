package io.berth.scheduler.placement;

/**
 * Picks the instance for the next task from a {@link PlacementState}: among the feasible
 * instances, the best by the strategies in order (each one ranking the candidates the previous
 * ones left tied), the lowest instance number on a final tie. Two implementations answer
 * identically where both apply; {@link IndexedSelector} is faster, {@link ScanSelector} handles
 * every chain.
 */
interface Selector {
    /** The instance number for the next task, or -1 if no instance is feasible. */
    int select();

    /** Gives instance {@code i} the task (the selector updates what it keeps around the change). */
    void place(int i);
}
