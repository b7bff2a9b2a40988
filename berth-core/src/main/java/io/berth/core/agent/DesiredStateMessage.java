package io.berth.core.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A desired state as the channel carries it: each task definition once, in {@code definitions}
 * (task definition ARN to its JSON), and the tasks without theirs. An instance running twenty tasks
 * of one revision gets that revision once per change, not twenty times.
 *
 * <p>A task that still carries its definition keeps it (older servers sent every task whole).
 * {@code token}, {@code changesOnly} and {@code removed} are present only for an agent that asked
 * for changes only ({@link DesiredState.Delta}).
 */
public record DesiredStateMessage(long version, Map<String, String> definitions, List<DesiredTask> tasks,
                                  String token, Boolean changesOnly, List<String> removed) {
    public DesiredStateMessage {
        definitions = definitions == null ? Map.of() : Map.copyOf(definitions);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    public static DesiredStateMessage of(DesiredState state) {
        Map<String, String> definitions = new LinkedHashMap<>();
        List<DesiredTask> tasks = new ArrayList<>(state.tasks().size());
        for (DesiredTask t : state.tasks()) {
            if (t.taskDefinitionArn() != null && t.taskDefinitionJson() != null) {
                definitions.putIfAbsent(t.taskDefinitionArn(), t.taskDefinitionJson());
                tasks.add(withDefinition(t, null));
            } else {
                tasks.add(t);
            }
        }
        DesiredState.Delta d = state.delta();
        return new DesiredStateMessage(state.version(), definitions, tasks, d == null ? null : d.token(),
                d == null ? null : d.changesOnly(), d == null ? null : d.removed());
    }

    /** The desired state, each task with its definition again. */
    public DesiredState state() {
        List<DesiredTask> whole = new ArrayList<>(tasks.size());
        for (DesiredTask t : tasks) {
            String json = t.taskDefinitionJson() == null ? definitions.get(t.taskDefinitionArn()) : null;
            whole.add(json == null ? t : withDefinition(t, json));
        }
        return new DesiredState(version, whole, token == null ? null
                : new DesiredState.Delta(token, Boolean.TRUE.equals(changesOnly), removed));
    }

    /** {@code t} with {@code json} as its task definition (null: without one). */
    public static DesiredTask withDefinition(DesiredTask t, String json) {
        return new DesiredTask(t.taskArn(), t.cluster(), t.family(), t.revision(), t.desiredStatus(),
                t.taskDefinitionArn(), json, t.overridesJson(), t.hostPorts(), t.stopReason(), t.registryAuth());
    }
}
