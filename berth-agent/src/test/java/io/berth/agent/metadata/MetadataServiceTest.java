package io.berth.agent.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.agent.Agent;
import io.berth.agent.AgentConfig;
import io.berth.agent.engine.ContainerPhase;
import io.berth.agent.engine.ContainerRecord;
import io.berth.agent.engine.EngineSettings;
import io.berth.agent.engine.TaskEngine;
import io.berth.agent.engine.TaskRecord;
import io.berth.agent.engine.TaskSpecs;
import io.berth.agent.engine.Tasks;
import io.berth.core.agent.DesiredTask;
import io.berth.core.agent.Registered;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerStats;
import io.berth.core.runtime.HostInfo;
import io.berth.testkit.runtime.FakeContainerRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task metadata endpoint v4 over a fake engine, asked over HTTP as a container would. */
class MetadataServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path stateDir;

    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final AtomicReference<Map<String, TaskRecord>> records = new AtomicReference<>(Map.of());
    private final HttpClient http = HttpClient.newHttpClient();
    private MetadataService service;
    private TaskEngine.Hooks hooks;
    private TaskRecord task;
    private String webId;

    @BeforeEach
    void start() {
        runtime.addImage("app:1");
        service = startService();
        DesiredTask desired = Tasks.running("6d3f", Tasks.td("shop", "\"cpu\":\"512\",\"memory\":\"1024\",",
                Tasks.container("web", "app:1", "\"cpu\":256,\"memory\":128,\"portMappings\":[{\"containerPort\":80}],"
                        + "\"dockerLabels\":{\"team\":\"a\"},\"logConfiguration\":{\"logDriver\":\"awslogs\","
                        + "\"options\":{\"awslogs-group\":\"/ecs/shop\",\"awslogs-stream-prefix\":\"ecs\"}}"),
                Tasks.container("sidecar", "app:1", "\"essential\":false,\"memoryReservation\":32")));
        task = TaskRecord.of(desired, TaskSpecs.read(desired, Tasks.INSTANCE, EngineSettings.defaults()));
        webId = createAndStart(0);
        String sidecarId = createAndStart(1);
        assertThat(sidecarId).isNotEqualTo(webId);
    }

    private MetadataService startService() {
        MetadataService s = new MetadataService(new MetadataService.Settings("127.0.0.1", "lo", 0,
                Duration.ofHours(1)));
        AgentConfig config = AgentConfig.of(URI.create("http://127.0.0.1:9"), stateDir, "AKID", "secret")
                .withAttributes(Map.of("ecs.availability-zone", "us-east-1b"));
        hooks = s.start(new Agent.Context(config, new Registered(Tasks.INSTANCE, "i-1", "t"),
                new HostInfo(2, 1L << 30, "linux", "x86_64", "fake", "1.47"), runtime, InstantSource.system()),
                records::get);
        return s;
    }

    private String createAndStart(int index) {
        var plan = task.spec().containers().get(index);
        Map<String, String> env = hooks.environment(task, plan);
        ContainerSpec spec = TaskSpecs.concrete(plan, "ecs-shop-1-" + plan.name() + "-6d3f", Map.of(), env);
        String id = runtime.create(spec, WAIT);
        runtime.start(id, WAIT);
        ContainerRecord c = task.containers().get(index).copy().runtime(id, spec.name()).started(Instant.now())
                .phase(ContainerPhase.RUNNING).ports(runtime.inspect(id, WAIT).orElseThrow().ports()).build();
        task = task.with(c);
        records.set(Map.of(task.taskArn(), task));
        return id;
    }

    @AfterEach
    void stop() {
        service.close();
        runtime.close();
    }

    private String uri(String container) {
        return runtime.spec(container.equals("web") ? webId : "ecs-shop-1-sidecar-6d3f").environment()
                .get(MetadataService.URI_V4);
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return MetadataResponses.JSON.readTree(r.body());
    }

    @Test
    void everyContainerGetsItsOwnUris() {
        Map<String, String> env = runtime.spec(webId).environment();
        assertThat(env.get(MetadataService.URI_V4)).startsWith(service.endpoint() + "/v4/")
                .matches(".*/v4/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(env.get(MetadataService.URI_V3)).isEqualTo(env.get(MetadataService.URI_V4).replace("/v4/", "/v3/"));
        assertThat(uri("sidecar")).isNotEqualTo(uri("web"));
    }

    @Test
    void theContainerResponse() throws Exception {
        JsonNode c = get(uri("web"));
        assertThat(c.path("DockerId").asText()).isEqualTo(webId);
        assertThat(c.path("Name").asText()).isEqualTo("web");
        assertThat(c.path("DockerName").asText()).isEqualTo("ecs-shop-1-web-6d3f");
        assertThat(c.path("Image").asText()).isEqualTo("app:1");
        assertThat(c.path("ImageID").asText()).startsWith("sha256:");
        assertThat(c.path("Labels").path("com.amazonaws.ecs.task-arn").asText()).isEqualTo(task.taskArn());
        assertThat(c.path("Labels").path("team").asText()).isEqualTo("a");
        assertThat(c.path("Labels").has("berth.managed")).isFalse();
        assertThat(c.path("DesiredStatus").asText()).isEqualTo("RUNNING");
        assertThat(c.path("KnownStatus").asText()).isEqualTo("RUNNING");
        assertThat(c.path("Limits").path("CPU").asInt()).isEqualTo(256);
        assertThat(c.path("Limits").path("Memory").asInt()).isEqualTo(128);
        assertThat(c.path("CreatedAt").asText()).isNotBlank();
        assertThat(Instant.parse(c.path("StartedAt").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(c.path("Type").asText()).isEqualTo("NORMAL");
        assertThat(c.path("LogDriver").asText()).isEqualTo("awslogs");
        assertThat(c.path("LogOptions").path("awslogs-stream").asText()).isEqualTo("ecs/web/6d3f");
        assertThat(c.path("Ports").get(0).path("ContainerPort").asInt()).isEqualTo(80);
        assertThat(c.path("Networks").get(0).path("NetworkMode").asText()).isEqualTo("bridge");
        assertThat(c.path("Networks").get(0).path("IPv4Addresses").get(0).asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void theTaskResponse() throws Exception {
        JsonNode t = get(uri("sidecar") + "/task");
        assertThat(t.path("Cluster").asText()).isEqualTo(Tasks.CLUSTER);
        assertThat(t.path("TaskARN").asText()).isEqualTo(task.taskArn());
        assertThat(t.path("Family").asText()).isEqualTo("shop");
        assertThat(t.path("Revision").asText()).isEqualTo("1");
        assertThat(t.path("DesiredStatus").asText()).isEqualTo("RUNNING");
        assertThat(t.path("KnownStatus").asText()).isEqualTo("PENDING");
        assertThat(t.path("Limits").path("CPU").asDouble()).isEqualTo(0.5);
        assertThat(t.path("Limits").path("Memory").asInt()).isEqualTo(1024);
        assertThat(t.path("AvailabilityZone").asText()).isEqualTo("us-east-1b");
        assertThat(t.path("LaunchType").asText()).isEqualTo("EC2");
        assertThat(t.path("Containers")).hasSize(2);
        assertThat(t.path("Containers").get(1).path("Limits").path("Memory").asInt()).isEqualTo(32);
        assertThat(t.has("TaskTags")).isFalse();
        // the server cannot be reached: taskWithTags answers without the tags
        JsonNode withTags = get(uri("web") + "/taskWithTags");
        assertThat(withTags.path("TaskARN").asText()).isEqualTo(task.taskArn());
    }

    @Test
    void statsInDockersShape() throws Exception {
        ContainerStats first = new ContainerStats(Instant.parse("2025-01-01T00:00:00Z"), 1_000_000_000L, 100, 900,
                List.of(500_000_000L, 500_000_000L), 10_000_000_000L, 2, 50L << 20, 60L << 20, 128L << 20,
                Map.of("cache", 10L << 20), Map.of("eth0", new ContainerStats.NetworkCounters(1000, 10, 0, 0, 2000, 20,
                0, 0)), 3, List.of(new ContainerStats.BlockIo(8, 0, "Read", 4096)));
        runtime.setStats(webId, first);
        service.sampler().sampleAll();
        ContainerStats second = new ContainerStats(Instant.parse("2025-01-01T00:00:01Z"), 1_500_000_000L, 100, 900,
                List.of(750_000_000L, 750_000_000L), 12_000_000_000L, 2, 55L << 20, 60L << 20, 128L << 20,
                Map.of("cache", 10L << 20), Map.of("eth0", new ContainerStats.NetworkCounters(3000, 10, 0, 0, 6000, 20,
                0, 0)), 3, List.of());
        runtime.setStats(webId, second);
        service.sampler().sampleAll();

        JsonNode s = get(uri("web") + "/stats");
        assertThat(s.path("read").asText()).isEqualTo("2025-01-01T00:00:01Z");
        assertThat(s.path("preread").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(s.path("cpu_stats").path("cpu_usage").path("total_usage").asLong()).isEqualTo(1_500_000_000L);
        assertThat(s.path("precpu_stats").path("cpu_usage").path("total_usage").asLong()).isEqualTo(1_000_000_000L);
        assertThat(s.path("cpu_stats").path("online_cpus").asInt()).isEqualTo(2);
        assertThat(s.path("memory_stats").path("usage").asLong()).isEqualTo(55L << 20);
        assertThat(s.path("memory_stats").path("limit").asLong()).isEqualTo(128L << 20);
        assertThat(s.path("networks").path("eth0").path("rx_bytes").asLong()).isEqualTo(3000);
        assertThat(s.path("network_rate_stats").path("rx_bytes_per_sec").asDouble()).isEqualTo(2000.0);
        assertThat(s.path("name").asText()).isEqualTo("/ecs-shop-1-web-6d3f");
        // (1.5 - 1.0) s of CPU over (12 - 10) s of host time on 2 CPUs: 50 %
        assertThat(service.sampler().of(webId).orElseThrow().cpuPercent()).isEqualTo(50.0);
        assertThat(service.sampler().usage().get(task.taskArn()).memoryBytes()).isEqualTo(45L << 20);

        JsonNode all = get(uri("sidecar") + "/task/stats");
        assertThat(all.has(webId)).isTrue();
        assertThat(all.size()).isEqualTo(2);
    }

    @Test
    void unknownIdsAndPathsAre404() throws Exception {
        for (String path : List.of("/v4/00000000-0000-0000-0000-000000000000", uri("web").replace(service.endpoint(), "")
                + "/nope", "/v2/metadata")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.endpoint() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void aRestartedAgentKeepsTheUrisWorking() throws Exception {
        String before = uri("web");
        service.close();
        service = startService();
        assertThat(before).startsWith(service.endpoint());
        assertThat(get(before).path("DockerId").asText()).isEqualTo(webId);
    }
}
