package io.berth.core.task;

import io.berth.core.agent.ContainerReport;
import java.util.List;

/**
 * One container of a task, as DescribeTasks shows it.
 *
 * @param id the container's id in its ARN
 * @param lastStatus PENDING, RUNNING or STOPPED
 * @param healthStatus HEALTHY, UNHEALTHY or UNKNOWN
 */
public record TaskContainer(String id, String name, String image, String imageDigest, String runtimeId,
                            String lastStatus, Integer exitCode, String reason,
                            List<ContainerReport.NetworkBinding> networkBindings, String healthStatus,
                            String cpu, Integer memory, Integer memoryReservation, boolean essential) {
    public TaskContainer {
        networkBindings = networkBindings == null ? List.of() : List.copyOf(networkBindings);
    }

    /** This container updated by what an agent reported of it. */
    public TaskContainer with(ContainerReport report) {
        return new TaskContainer(id, name, image, report.imageDigest() != null ? report.imageDigest() : imageDigest,
                report.runtimeId() != null ? report.runtimeId() : runtimeId,
                report.lastStatus() != null ? report.lastStatus() : lastStatus,
                report.exitCode() != null ? report.exitCode() : exitCode,
                report.reason() != null ? report.reason() : reason,
                report.networkBindings().isEmpty() ? networkBindings : report.networkBindings(),
                report.healthStatus() != null ? report.healthStatus() : healthStatus,
                cpu, memory, memoryReservation, essential);
    }
}
