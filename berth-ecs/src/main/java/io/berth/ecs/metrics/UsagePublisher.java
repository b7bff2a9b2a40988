package io.berth.ecs.metrics;

import io.berth.core.agent.UsageReport;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.monitoring.MetricSink;
import io.berth.core.task.Task;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.ecs.task.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the agents' usage reports into the {@code AWS/ECS} metrics: keeps each running task's latest
 * sample (in memory; a task not reported for {@link #STALE} no longer counts), and on every report
 * publishes the utilisation of the clusters it touched ({@link EcsUtilization}) at the server's time.
 * With agents reporting every 10 s (the default), each 1-minute period holds about six points per
 * metric and agent. Thread-safe.
 */
public final class UsagePublisher {
    /** How long a task's sample counts without a newer one (three missed default reports). */
    public static final Duration STALE = Duration.ofSeconds(30);
    private static final double MIB = 1024.0 * 1024.0;

    private final Tasks tasks;
    private final ContainerInstances instances;
    private final MetricSink sink;
    private final InstantSource clock;
    private final Map<String, TaskSample> latest = new ConcurrentHashMap<>();

    public UsagePublisher(Tasks tasks, ContainerInstances instances, MetricSink sink, InstantSource clock) {
        this.tasks = tasks;
        this.instances = instances;
        this.sink = sink;
        this.clock = clock;
    }

    /** Applies one agent's report; usage of tasks not on {@code caller} or not running is ignored. */
    public void accept(ContainerInstance caller, UsageReport report) {
        Instant now = clock.instant();
        Set<String> clusters = new TreeSet<>();
        for (UsageReport.Usage u : report.tasks()) {
            Optional<Task> task = task(u.taskArn());
            if (task.isEmpty() || task.get().stopped() || !task.get().cluster().equals(caller.cluster())
                    || !caller.id().equals(task.get().containerInstanceId())) {
                latest.remove(u.taskArn());
                continue;
            }
            Task t = task.get();
            TaskSample previous = latest.get(u.taskArn());
            if (previous != null && previous.at().isAfter(report.at())) {
                continue; // an older report arriving late
            }
            String group = t.allocation().group() != null ? t.allocation().group() : t.group();
            String service = group != null && group.startsWith("service:") ? group.substring(8) : null;
            latest.put(u.taskArn(), new TaskSample(t.cluster(), service, t.cpu(), t.memory(),
                    u.cpuPercent() / 100.0 * 1024.0, u.memoryBytes() / MIB, report.at()));
            clusters.add(t.cluster());
        }
        Instant cutoff = report.at().minus(STALE);
        latest.values().removeIf(s -> s.at().isBefore(cutoff));
        for (String cluster : clusters) {
            sink.put(EcsUtilization.NAMESPACE, EcsUtilization.compute(cluster, List.copyOf(latest.values()),
                    capacity(cluster), now));
        }
    }

    private EcsUtilization.Capacity capacity(String cluster) {
        long cpu = 0;
        long memory = 0;
        for (ContainerInstances.Stored s : instances.registeredStored(cluster)) {
            cpu += s.instance().cpu();
            memory += s.instance().memory();
        }
        return new EcsUtilization.Capacity(cpu, memory);
    }

    /** The task of {@code arn:...:task/CLUSTER/ID}. */
    private Optional<Task> task(String arn) {
        int at = arn.indexOf(":task/");
        if (at < 0) {
            return Optional.empty();
        }
        String rest = arn.substring(at + 6);
        int slash = rest.lastIndexOf('/');
        return slash <= 0 ? Optional.empty() : tasks.find(rest.substring(0, slash), rest.substring(slash + 1));
    }
}
