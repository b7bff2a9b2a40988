package io.berth.ecs.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.berth.core.agent.UsageReport;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.monitoring.MetricDatum;
import io.berth.core.task.Task;
import io.berth.ecs.metrics.UsagePublisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Agents' usage reports become AWS/ECS utilisation for the service and the cluster (fake store, test clock). */
class ServiceUsageMetricsTest {
    private static final long MIB = 1024 * 1024;
    private final ServiceEnv env = new ServiceEnv();
    private final List<MetricDatum> published = new CopyOnWriteArrayList<>();
    private final UsagePublisher publisher = new UsagePublisher(env.tasks, env.instances,
            (namespace, data) -> {
                assertThat(namespace).isEqualTo("AWS/ECS");
                published.addAll(data);
            }, env.clock);

    private double latest(String name, Map<String, String> dims) {
        return published.stream().filter(d -> d.name().equals(name) && d.dimensions().equals(dims))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError(name + dims + " not in " + published))
                .average();
    }

    @Test
    void reportsOfTheInstanceRunningTheTasksArePublishedAsUseOverReservation() {
        String instanceId = env.instance("us-east-1a", 2048, 4096);
        env.register("web", "nginx", false); // 128 CPU units, 128 MiB
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':2}");
        env.tick();
        String other = env.instance("us-east-1b", 2048, 4096);
        List<Task> tasks = env.tasksOf("api", t -> true);
        assertThat(tasks).hasSize(2).allSatisfy(t -> assertThat(t.containerInstanceId()).isEqualTo(instanceId));
        ContainerInstance caller = env.instances.find(ServiceEnv.CLUSTER, instanceId).orElseThrow();

        // each task spins half a CPU (512 units of its 128) and uses 32 MiB of its 128
        publisher.accept(caller, new UsageReport(env.clock.instant(), tasks.stream()
                .map(t -> new UsageReport.Usage(env.tasks.arn(t), 50.0, 32 * MIB)).toList()));

        Map<String, String> service = Map.of("ClusterName", "work", "ServiceName", "api");
        Map<String, String> cluster = Map.of("ClusterName", "work");
        assertThat(latest("CPUUtilization", service)).isCloseTo(400.0, within(1e-9));
        assertThat(latest("MemoryUtilization", service)).isCloseTo(25.0, within(1e-9));
        // the cluster's two instances registered 4096 units and 8192 MiB
        assertThat(latest("CPUUtilization", cluster)).isCloseTo(100.0 * 1024 / 4096, within(1e-9));
        assertThat(latest("MemoryUtilization", cluster)).isCloseTo(100.0 * 64 / 8192, within(1e-9));
        assertThat(published).allSatisfy(d -> assertThat(d.timestamp()).isEqualTo(env.clock.instant()));

        // a report from another instance about these tasks is not believed
        published.clear();
        ContainerInstance stranger = env.instances.find(ServiceEnv.CLUSTER, other).orElseThrow();
        publisher.accept(stranger, new UsageReport(env.clock.instant(),
                List.of(new UsageReport.Usage(env.tasks.arn(tasks.get(0)), 100.0, 64 * MIB))));
        assertThat(published).isEmpty();

        // once a task's samples are stale it no longer counts
        env.clock.advance(UsagePublisher.STALE.plus(Duration.ofSeconds(1)));
        publisher.accept(caller, new UsageReport(env.clock.instant(),
                List.of(new UsageReport.Usage(env.tasks.arn(tasks.get(1)), 25.0, 16 * MIB))));
        assertThat(latest("CPUUtilization", service)).isCloseTo(100.0 * 256 / 128, within(1e-9));
    }
}
