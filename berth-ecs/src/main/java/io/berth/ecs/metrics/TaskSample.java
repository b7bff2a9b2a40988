package io.berth.ecs.metrics;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest use of one task, with what it reserved: the input of {@link EcsUtilization}.
 *
 * @param cluster the task's cluster
 * @param service the service that started it ({@code service:NAME} group), null for a standalone task
 * @param reservedCpu CPU units the task reserved (task size, else the sum of its containers')
 * @param reservedMemoryMiB MiB the task reserved
 * @param usedCpu CPU units in use (1024 per busy CPU)
 * @param usedMemoryMiB MiB in use, without the page cache
 * @param at when the agent sampled it
 */
public record TaskSample(String cluster, String service, int reservedCpu, int reservedMemoryMiB, double usedCpu,
                         double usedMemoryMiB, Instant at) {
    public TaskSample {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(at, "at");
    }
}
