package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.channel.HttpServerChannel;
import io.berth.agent.hollow.HollowFleet;
import io.berth.agent.hollow.HollowSettings;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

/** Many RunTask calls at once against hollow instances: nothing is overcommitted, every task runs. */
class HollowPlacementIT {
    private static BerthFixture berth;
    private static HollowFleet fleet;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
        berth.ecs().createCluster(c -> c.clusterName("scale"));
        String key = berth.server().credentials().accessKeyId();
        String secret = berth.server().credentials().secretAccessKey();
        fleet = HollowFleet.start(new HollowSettings("scale", 20, 1024, 1006, Duration.ofMillis(50),
                        Duration.ofMillis(20), 0, List.of("us-east-1a", "us-east-1b"), Map.of(), Duration.ofSeconds(5)),
                i -> new HttpServerChannel(URI.create(berth.endpoint()), "us-east-1", key, secret, InstantSource.system()),
                InstantSource.system(), new Random(7));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                berth.ecs().listContainerInstances(l -> l.cluster("scale")).containerInstanceArns().size() == 20);
    }

    @AfterAll
    static void stop() throws Exception {
        fleet.close();
        berth.close();
    }

    @Test
    void concurrentRunTasksNeverOvercommitAnInstanceOrAPort() throws Exception {
        EcsClient ecs = berth.ecs();
        ecs.registerTaskDefinition(r -> r.family("small").containerDefinitions(c -> c.name("app").image("x")
                .cpu(100).memory(100)));
        ecs.registerTaskDefinition(r -> r.family("port").containerDefinitions(c -> c.name("app").image("x")
                .cpu(1).memory(6).portMappings(p -> p.containerPort(80).hostPort(8080))));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicInteger placed = new AtomicInteger();
        AtomicInteger portTasks = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                if (n % 4 == 0) {
                    portTasks.addAndGet(ecs.runTask(r -> r.cluster("scale").taskDefinition("port").count(10))
                            .tasks().size());
                } else {
                    placed.addAndGet(ecs.runTask(r -> r.cluster("scale").taskDefinition("small").count(10))
                            .tasks().size());
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        List<String> arns = ecs.listContainerInstances(l -> l.cluster("scale")).containerInstanceArns();
        List<ContainerInstance> instances = ecs.describeContainerInstances(d -> d.cluster("scale")
                .containerInstances(arns)).containerInstances();
        String state = instances.stream().map(i -> i.ec2InstanceId() + " tasks " + (i.runningTasksCount()
                + i.pendingTasksCount()) + " memory left " + resource(i.remainingResources(), "MEMORY").integerValue()
                + " ports " + resource(i.remainingResources(), "PORTS").stringSetValue()).toList().toString();
        // 20 instances x 1000 MiB / 100 MiB; the port tasks take 6 MiB each and one per instance.
        assertThat(instances).as(state).hasSize(20);
        assertThat(portTasks.get()).as(state).isEqualTo(20);
        assertThat(placed.get()).as(state).isEqualTo(200);
        for (ContainerInstance i : instances) {
            assertThat(resource(i.remainingResources(), "MEMORY").integerValue()).isNotNegative();
            assertThat(resource(i.remainingResources(), "CPU").integerValue()).isNotNegative();
            assertThat(resource(i.remainingResources(), "PORTS").stringSetValue()).containsOnlyOnce("8080");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<String> tasks = new ArrayList<>();
            ecs.listTasksPaginator(l -> l.cluster("scale")).taskArns().forEach(tasks::add);
            for (int i = 0; i < tasks.size(); i += 100) {
                List<String> batch = tasks.subList(i, Math.min(tasks.size(), i + 100));
                if (ecs.describeTasks(d -> d.cluster("scale").tasks(batch)).tasks().stream()
                        .anyMatch(t -> !"RUNNING".equals(t.lastStatus()))) {
                    return false;
                }
            }
            return tasks.size() == placed.get() + portTasks.get();
        });
    }

    private static Resource resource(List<Resource> resources, String name) {
        return resources.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }
}
