package io.berth.agent.engine;

import io.berth.core.runtime.ContainerState;

/** How an {@link Action} ended; {@link Transitions#apply} folds it into the task's record. */
public sealed interface Outcome {
    String taskArn();

    record Pulled(String taskArn, String container, String imageDigest) implements Outcome {
    }

    /** @param reason "CannotPullContainerError: ..." */
    record PullFailed(String taskArn, String container, String reason) implements Outcome {
    }

    record Created(String taskArn, String container, String runtimeId, String hostName) implements Outcome {
    }

    /** @param state the container right after its start, or null if the engine could not say */
    record Started(String taskArn, String container, ContainerState state) implements Outcome {
    }

    /** @param state the container after the stop, or null when it is gone */
    record Stopped(String taskArn, String container, ContainerState state) implements Outcome {
    }

    /** A create or start the engine refused: "CannotCreateContainerError: ...", "CannotStartContainerError: ...". */
    record Failed(String taskArn, String container, String reason) implements Outcome {
    }

    /** The engine was down or did not answer in time: the step is tried again. */
    record Transient(String taskArn, String container, String message, boolean timeout) implements Outcome {
    }

    record CleanedUp(String taskArn) implements Outcome {
    }

    record CleanupFailed(String taskArn, String message) implements Outcome {
    }
}
