package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testkit.images.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The task metadata endpoint v4 on the real Docker Engine, asked from inside containers with
 * busybox's wget (their output comes back through the awslogs shipping), in bridge and host mode;
 * and the stats of a busy container.
 */
class MetadataDockerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LogsFixture berth;

    @BeforeAll
    static void start() throws Exception {
        berth = LogsFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
    }

    private static LogConfiguration awslogs() {
        return LogConfiguration.builder().logDriver(LogDriver.AWSLOGS).options(Map.of("awslogs-group", "/ecs/metadata-it",
                "awslogs-stream-prefix", "ecs", "awslogs-create-group", "true")).build();
    }

    /** Runs the task and returns what container {@code reader} printed, one event per line. */
    private static List<String> output(String taskArn, String reader) {
        berth.awaitStatus(taskArn, "STOPPED", Duration.ofSeconds(60));
        String stream = "ecs/" + reader + "/" + LogsFixture.taskId(taskArn);
        List<String> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            out.clear();
            berth.logs().getLogEventsPaginator(g -> g.logGroupName("/ecs/metadata-it").logStreamName(stream)
                    .startFromHead(true)).events().forEach(e -> out.add(e.message()));
            return out.contains("done");
        });
        return out;
    }

    private static String wgetScript(String... paths) {
        StringBuilder s = new StringBuilder();
        for (String p : paths) {
            s.append("wget -qO- \"$ECS_CONTAINER_METADATA_URI_V4").append(p).append("\" || echo FAILED; echo; ");
        }
        return s.append("echo \"v3=$ECS_CONTAINER_METADATA_URI\"; echo done").toString();
    }

    @Test
    void aContainerReadsItsOwnMetadataWithWget() throws Exception {
        String td = berth.ecs().registerTaskDefinition(r -> r.family("metadata-bridge").cpu("256").memory("128")
                .containerDefinitions(ContainerDefinition.builder().name("reader").image(TestImages.BUSYBOX).memory(32)
                        .command("sh", "-c", wgetScript("", "/task", "/stats", "/taskWithTags")).logConfiguration(awslogs())
                        .build()))
                .taskDefinition().taskDefinitionArn();
        String task = berth.ecs().runTask(r -> r.taskDefinition(td).tags(Tag.builder().key("team").value("it").build()))
                .tasks().get(0).taskArn();
        List<String> out = output(task, "reader");
        assertThat(out).doesNotContain("FAILED");
        String containerId = berth.describe(task).containers().get(0).runtimeId();

        JsonNode container = JSON.readTree(out.get(0));
        assertThat(container.path("DockerId").asText()).isEqualTo(containerId);
        assertThat(container.path("Name").asText()).isEqualTo("reader");
        assertThat(container.path("DockerName").asText()).startsWith("ecs-metadata-bridge-");
        assertThat(container.path("Image").asText()).isEqualTo(TestImages.BUSYBOX);
        assertThat(container.path("ImageID").asText()).startsWith("sha256:");
        assertThat(container.path("KnownStatus").asText()).isEqualTo("RUNNING");
        assertThat(container.path("Labels").path("com.amazonaws.ecs.task-arn").asText()).isEqualTo(task);
        assertThat(container.path("LogDriver").asText()).isEqualTo("awslogs");
        assertThat(container.path("LogOptions").path("awslogs-stream").asText())
                .isEqualTo("ecs/reader/" + LogsFixture.taskId(task));
        assertThat(container.path("Networks").get(0).path("NetworkMode").asText()).isEqualTo("bridge");
        assertThat(container.path("Networks").get(0).path("IPv4Addresses").get(0).asText()).startsWith("172.");

        JsonNode taskJson = JSON.readTree(out.get(1));
        assertThat(taskJson.path("TaskARN").asText()).isEqualTo(task);
        assertThat(taskJson.path("Family").asText()).isEqualTo("metadata-bridge");
        assertThat(taskJson.path("Cluster").asText()).endsWith("cluster/default");
        assertThat(taskJson.path("Limits").path("CPU").asDouble()).isEqualTo(0.25);
        assertThat(taskJson.path("Limits").path("Memory").asInt()).isEqualTo(128);
        assertThat(taskJson.path("AvailabilityZone").asText()).isEqualTo("us-east-1a");
        assertThat(taskJson.path("LaunchType").asText()).isEqualTo("EC2");
        assertThat(taskJson.path("Containers")).hasSize(1);
        assertThat(taskJson.path("PullStartedAt").asText()).isNotBlank();

        JsonNode stats = JSON.readTree(out.get(2));
        assertThat(stats.path("id").asText()).isEqualTo(containerId);
        assertThat(stats.path("memory_stats").path("limit").asLong()).isEqualTo(32L << 20);
        assertThat(stats.path("cpu_stats").path("cpu_usage").path("total_usage").asLong()).isPositive();

        JsonNode withTags = JSON.readTree(out.get(3));
        assertThat(withTags.path("TaskTags").path("team").asText()).isEqualTo("it");
        assertThat(withTags.has("ContainerInstanceTags")).isTrue();

        assertThat(out.get(4)).startsWith("v3=http://").contains("/v3/");
    }

    @Test
    void hostModeContainersReachTheEndpointToo() throws Exception {
        String td = berth.ecs().registerTaskDefinition(r -> r.family("metadata-host").networkMode(NetworkMode.HOST)
                .containerDefinitions(ContainerDefinition.builder().name("reader").image(TestImages.BUSYBOX).memory(32)
                        .command("sh", "-c", wgetScript("/task")).logConfiguration(awslogs()).build()))
                .taskDefinition().taskDefinitionArn();
        String task = berth.ecs().runTask(r -> r.taskDefinition(td)).tasks().get(0).taskArn();
        List<String> out = output(task, "reader");
        assertThat(out).doesNotContain("FAILED");
        JsonNode taskJson = JSON.readTree(out.get(0));
        assertThat(taskJson.path("TaskARN").asText()).isEqualTo(task);
        assertThat(taskJson.path("Containers").get(0).path("Networks").get(0).path("NetworkMode").asText())
                .isEqualTo("host");
    }

    @Test
    void theStatsOfABusyContainerShowCpuUse() throws Exception {
        String td = berth.ecs().registerTaskDefinition(r -> r.family("metadata-busy").containerDefinitions(
                ContainerDefinition.builder().name("busy").image(TestImages.BUSYBOX).memory(32).essential(false)
                        .command("sh", "-c", "while :; do :; done").build(),
                ContainerDefinition.builder().name("probe").image(TestImages.BUSYBOX).memory(32)
                        .command("sh", "-c", "sleep 4; " + wgetScript("/task/stats")).logConfiguration(awslogs()).build()))
                .taskDefinition().taskDefinitionArn();
        String task = berth.ecs().runTask(r -> r.taskDefinition(td)).tasks().get(0).taskArn();
        berth.awaitStatus(task, "RUNNING", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var usage = berth.metadata().sampler().usage().get(task);
            return usage != null && usage.cpuPercent() > 20;
        });
        List<String> out = output(task, "probe");
        String busyId = berth.describe(task).containers().stream().filter(c -> c.name().equals("busy")).findFirst()
                .orElseThrow().runtimeId();
        JsonNode all = JSON.readTree(out.get(0));
        JsonNode busy = all.path(busyId);
        long used = busy.path("cpu_stats").path("cpu_usage").path("total_usage").asLong()
                - busy.path("precpu_stats").path("cpu_usage").path("total_usage").asLong();
        long system = busy.path("cpu_stats").path("system_cpu_usage").asLong()
                - busy.path("precpu_stats").path("system_cpu_usage").asLong();
        assertThat(used).as("CPU nanoseconds between the two samples").isPositive();
        assertThat((double) used / system * busy.path("cpu_stats").path("online_cpus").asInt() * 100)
                .as("CPU percent of one CPU").isGreaterThan(20);
    }
}
