package io.berth.core.agent;

import java.util.List;

/**
 * Every task assigned to one instance that is not yet known STOPPED by the server, with what the
 * server wants of it, at {@code version}.
 */
public record DesiredState(long version, List<DesiredTask> tasks, Delta delta) {
    public DesiredState {
        tasks = List.copyOf(tasks);
    }

    /** The whole desired state. */
    public DesiredState(long version, List<DesiredTask> tasks) {
        this(version, tasks, null);
    }

    /**
     * How a desired state relates to the one before, for agents that ask for changes only (see
     * {@code ServerChannel#desired(long, String, java.time.Duration, java.time.Duration)}).
     *
     * @param token names this state: the agent sends it with its next poll to get only what
     *     changes after it
     * @param changesOnly true when {@code tasks} are only the tasks that changed since the state the
     *     agent named, false when they are all of them
     * @param removed tasks no longer desired since that state (the server knows them STOPPED)
     */
    public record Delta(String token, boolean changesOnly, List<String> removed) {
        public Delta {
            removed = removed == null ? List.of() : List.copyOf(removed);
        }
    }
}
