package io.berth.core.agent;

import java.util.List;

/**
 * Every task assigned to one instance that is not yet known STOPPED by the server, with what the
 * server wants of it, at {@code version}.
 */
public record DesiredState(long version, List<DesiredTask> tasks) {
    public DesiredState {
        tasks = List.copyOf(tasks);
    }
}
