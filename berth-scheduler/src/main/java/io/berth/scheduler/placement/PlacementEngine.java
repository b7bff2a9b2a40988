package io.berth.scheduler.placement;

import io.berth.scheduler.snapshot.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * ECS task placement for the EC2 launch type, as a pure function of a cluster snapshot, a request
 * and a seeded random generator. Each task of the request goes through the chain ECS documents
 * (task-placement):
 *
 * <ol>
 *   <li>the instance: ACTIVE ({@code INACTIVE} otherwise) with its agent connected ({@code AGENT});
 *   <li>resources: CPU, memory, static TCP then UDP host ports ({@code RESOURCE:CPU},
 *       {@code RESOURCE:MEMORY}, {@code RESOURCE:PORTS}, {@code RESOURCE:PORTS_UDP});
 *   <li>constraints, binding, in the order given (memberOf, distinctInstance);
 *   <li>strategies, best effort, in the order given: each keeps the best of the candidates the
 *       previous one left (binpack: least remaining; spread: fewest tasks of the service or group
 *       with the same value; random: one drawn); a tie after the last goes to the earliest
 *       registered instance (then the lowest id).
 * </ol>
 *
 * Tasks placed earlier in a call count for the later ones: resources, ports, spread counts,
 * distinctInstance and {@code task:group}. When a task fits nowhere the call stops, and the result
 * holds, for every instance of the snapshot, the first stage that vetoed it for that task (see
 * {@link VetoReasons}).
 *
 * <p>Constraints that do not depend on tasks are evaluated once per instance per call; a chain of
 * spreads by attribute followed by binpack or spread(instanceId) is served by an index (see
 * {@link IndexedSelector}), any other by a scan of the instances per task. Stateless and
 * thread-safe; the random generator is used only by the random strategy.
 */
public final class PlacementEngine {
    private PlacementEngine() {
    }

    /** Places {@code request.count()} tasks, or as many as fit, in order. */
    public static PlacementResult place(ClusterSnapshot snapshot, PlacementRequest request, RandomGenerator random) {
        return place(snapshot, request, random, true);
    }

    /**
     * As {@link #place(ClusterSnapshot, PlacementRequest, RandomGenerator)}, on columns a model keeps
     * between calls (see {@link ClusterColumns}); the columns are read, never changed.
     */
    public static PlacementResult place(ClusterColumns columns, PlacementRequest request, RandomGenerator random) {
        return place(columns, request, random, true);
    }

    /** As {@link #place(ClusterSnapshot, PlacementRequest, RandomGenerator)}; {@code indexed} false forces the scan. */
    static PlacementResult place(ClusterSnapshot snapshot, PlacementRequest request, RandomGenerator random,
                                 boolean indexed) {
        Objects.requireNonNull(snapshot, "snapshot");
        return place(ClusterColumns.of(snapshot), request, random, indexed);
    }

    private static PlacementResult place(ClusterColumns columns, PlacementRequest request, RandomGenerator random,
                                         boolean indexed) {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(random, "random");
        List<String> placements = new ArrayList<>(Math.min(request.count(), 1024));
        if (request.count() == 0) {
            return new PlacementResult(placements, List.of());
        }
        PlacementState state = new PlacementState(columns, request);
        Selector selector = indexed && IndexedSelector.handles(state.levels()) ? new IndexedSelector(state, request.count())
                : new ScanSelector(state, random);
        for (int n = 0; n < request.count(); n++) {
            int chosen = selector.select();
            if (chosen < 0) {
                return new PlacementResult(placements, vetoes(state));
            }
            selector.place(chosen);
            placements.add(state.id(chosen));
        }
        return new PlacementResult(placements, List.of());
    }

    private static List<PlacementResult.Veto> vetoes(PlacementState state) {
        List<PlacementResult.Veto> vetoes = new ArrayList<>(state.size);
        for (int i = 0; i < state.size; i++) {
            vetoes.add(new PlacementResult.Veto(state.id(i), state.veto(i)));
        }
        return vetoes;
    }
}
