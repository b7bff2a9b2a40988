package io.berth.scheduler.placement;

import java.util.List;

/**
 * Where the tasks go (one instance id per placed task, in order), and why the others could not be
 * placed: vetoes as data, one per instance considered, with ECS's reasons ({@code RESOURCE:CPU},
 * {@code RESOURCE:MEMORY}, {@code RESOURCE:PORTS}, {@code AGENT}, ...; see {@link VetoReasons}).
 * Vetoes are empty when every task was placed.
 */
public record PlacementResult(List<String> placements, List<Veto> vetoes) {
    public PlacementResult {
        placements = List.copyOf(placements);
        vetoes = List.copyOf(vetoes);
    }

    public record Veto(String instanceId, String reason) {
    }
}
