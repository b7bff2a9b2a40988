package io.berth.core.agent;

import java.time.Instant;
import java.util.List;

/**
 * What an agent tells the server. With no tasks it is a heartbeat.
 *
 * @param sequence increases with every report of one agent run
 * @param fresh true on the first report after the agent (re)started: resets the sequence
 * @param appliedVersion the last desired-state version the agent has acted on
 */
public record AgentReport(long sequence, boolean fresh, long appliedVersion, Instant at, List<TaskReport> tasks) {
    public AgentReport {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }
}
