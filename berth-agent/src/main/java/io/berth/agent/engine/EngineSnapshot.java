package io.berth.agent.engine;

import io.berth.core.agent.TaskReport;
import java.util.Map;

/**
 * The engine's state as the server should see it, published by the engine loop after every change.
 *
 * @param ready the engine has adopted the host's containers and applied a first desired state
 * @param appliedVersion the last desired-state version the engine acted on (0 before the first)
 * @param tasks the report of every task the server is told about, by task ARN
 */
public record EngineSnapshot(boolean ready, long appliedVersion, Map<String, TaskReport> tasks) {
    public static final EngineSnapshot EMPTY = new EngineSnapshot(false, 0, Map.of());

    public EngineSnapshot {
        tasks = Map.copyOf(tasks);
    }
}
