package io.berth.core.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the tasks of one host use, as the agent sampled them: sent every stats interval on the agent
 * channel ({@code POST /_berth/agent/v1/usage}). Idempotent: a report carries absolute figures as of
 * {@code at}, so a resent or lost one changes nothing but the points the server publishes.
 *
 * @param at when the agent took the samples
 * @param tasks one entry per task with at least one sampled running container
 */
public record UsageReport(Instant at, List<Usage> tasks) {
    public UsageReport {
        Objects.requireNonNull(at, "at");
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    /**
     * One task's use.
     *
     * @param taskArn the task
     * @param cpuPercent CPU its containers used since the previous sample, in percent of one CPU
     *     (200 = two CPUs fully busy)
     * @param memoryBytes memory its containers use now, without the page cache
     */
    public record Usage(String taskArn, double cpuPercent, long memoryBytes) {
        public Usage {
            Objects.requireNonNull(taskArn, "taskArn");
            if (!(cpuPercent >= 0) || memoryBytes < 0) {
                throw new IllegalArgumentException("usage must not be negative: " + cpuPercent + ", " + memoryBytes);
            }
        }
    }
}
