package io.berth.agent.engine;

import java.time.Duration;
import java.util.List;

/**
 * A side effect the {@link TaskPlanner} decided on, for the engine to run on the host's container
 * engine ({@link ActionRunner}); each ends in an {@link Outcome}.
 */
public sealed interface Action {
    String taskArn();

    /** Makes the container's image available (as the pull behaviour says). */
    record Pull(String taskArn, String container, String image) implements Action {
    }

    /** Creates the container (and the task volumes it mounts); the engine picks its host name. */
    record Create(String taskArn, String container) implements Action {
    }

    record Start(String taskArn, String container, String runtimeId) implements Action {
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    record Stop(String taskArn, String container, String runtimeId, Duration grace) implements Action {
    }

    /** Removes the task's containers and its task-scoped volumes. */
    record Cleanup(String taskArn, List<String> runtimeIds, List<String> volumes) implements Action {
        public Cleanup {
            runtimeIds = List.copyOf(runtimeIds);
            volumes = List.copyOf(volumes);
        }
    }
}
