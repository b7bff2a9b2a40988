package io.berth.scheduler.snapshot;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Allocation;
import io.berth.core.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Instance views for tests: ACTIVE, connected, 1024 CPU, 2048 MiB, registered in id order unless told. */
public final class InstanceBuilder {
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private static int sequence;

    private final String id;
    private String ec2InstanceId;
    private String status = "ACTIVE";
    private int cpu = 1024;
    private int memory = 2048;
    private List<Integer> reservedTcp = List.of();
    private List<Integer> reservedUdp = List.of();
    private final List<ContainerInstance.Attribute> attributes = new ArrayList<>();
    private String agentVersion = "1.0.0";
    private Instant registeredAt;
    private final List<TaskView> tasks = new ArrayList<>();
    private boolean connected = true;

    private InstanceBuilder(String id) {
        this.id = id;
        this.registeredAt = EPOCH.plusSeconds(++sequence);
    }

    public static InstanceBuilder instance(String id) {
        return new InstanceBuilder(id);
    }

    public InstanceBuilder ec2InstanceId(String v) { ec2InstanceId = v; return this; }
    public InstanceBuilder status(String v) { status = v; return this; }
    public InstanceBuilder cpu(int v) { cpu = v; return this; }
    public InstanceBuilder memory(int v) { memory = v; return this; }
    public InstanceBuilder reservedTcp(Integer... ports) { reservedTcp = List.of(ports); return this; }
    public InstanceBuilder reservedUdp(Integer... ports) { reservedUdp = List.of(ports); return this; }
    public InstanceBuilder agentVersion(String v) { agentVersion = v; return this; }
    public InstanceBuilder registeredAt(Instant v) { registeredAt = v; return this; }
    public InstanceBuilder registeredAt(String iso) { registeredAt = Instant.parse(iso); return this; }
    public InstanceBuilder disconnected() { connected = false; return this; }
    public InstanceBuilder connected(boolean v) { connected = v; return this; }

    public InstanceBuilder attribute(String name, String value) {
        attributes.add(new ContainerInstance.Attribute(name, value));
        return this;
    }

    public InstanceBuilder az(String zone) {
        return attribute("ecs.availability-zone", zone);
    }

    /** A task of {@code group} in {@code status}; it holds {@code allocation} unless STOPPED. */
    public InstanceBuilder task(String group, TaskStatus status, Allocation allocation) {
        String taskId = id + "-t" + (tasks.size() + 1);
        String service = group.startsWith("service:") ? group.substring("service:".length()) : null;
        tasks.add(new TaskView(taskId, group, group.startsWith("family:") ? group.substring(7) : null, service, status,
                allocation));
        return this;
    }

    /** A RUNNING task of {@code group} holding nothing. */
    public InstanceBuilder task(String group) {
        return task(group, TaskStatus.RUNNING, Allocation.NONE);
    }

    public ContainerInstance containerInstance() {
        return new ContainerInstance("default", id, ec2InstanceId, status, null, "127.0.0.1", cpu, memory,
                reservedTcp, reservedUdp, attributes, agentVersion, "27.0", false, registeredAt, 1, 0,
                1);
    }

    public InstanceView build() {
        return new InstanceView(containerInstance(), connected, tasks);
    }
}
