package io.berth.agent.engine;

import static io.berth.agent.engine.Tasks.INSTANCE;
import static io.berth.agent.engine.Tasks.container;
import static io.berth.agent.engine.Tasks.running;
import static io.berth.agent.engine.Tasks.td;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.engine.TaskSpec.Condition;
import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.agent.engine.TaskSpec.Dependency;
import io.berth.agent.engine.TaskSpec.VolumePlan;
import io.berth.core.agent.AgentLabels;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState.PortBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskSpecsTest {
    private static final EngineSettings SETTINGS = EngineSettings.defaults().withHostAddress("192.0.2.10");

    @Test
    void mapsAContainerDefinitionAndItsOverridesToAnEngineSpec() {
        String web = container("web", "nginx:1.27", """
                "command":["nginx","-g","daemon off;"],"entryPoint":["/docker-entrypoint.sh"],
                "environment":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                "workingDirectory":"/srv","user":"101:101","cpu":0,"memory":256,"memoryReservation":128,
                "portMappings":[{"containerPort":80,"hostPort":8080},{"containerPort":9000,"protocol":"udp"}],
                "ulimits":[{"name":"nofile","softLimit":1024,"hardLimit":4096}],
                "dockerLabels":{"team":"web","com.amazonaws.ecs.task-arn":"forged"},
                "readonlyRootFilesystem":true,"linuxParameters":{"initProcessEnabled":true},
                "healthCheck":{"command":["CMD-SHELL","curl -f http://localhost/ || exit 1"]},
                "extraHosts":[{"hostname":"db","ipAddress":"10.0.0.5"}]""");
        String overrides = """
                {"containerOverrides":[{"name":"web","command":["nginx","-T"],
                  "environment":[{"name":"B","value":"override"},{"name":"C","value":"3"}],"cpu":512,"memory":512}]}""";
        var task = running("t1", td("web", web), overrides, Map.of("web/80/tcp", 8080));

        TaskSpec spec = TaskSpecs.read(task, INSTANCE, SETTINGS);

        assertThat(spec.refusal()).isNull();
        ContainerPlan plan = spec.containers().get(0);
        assertThat(plan.essential()).isTrue();
        ContainerSpec s = TaskSpecs.concrete(plan, TaskSpecs.hostName(spec, "web", "00112233445566778899"), Map.of());
        assertThat(s.name()).isEqualTo("ecs-web-1-web-00112233445566778899");
        assertThat(s.image()).isEqualTo("nginx:1.27");
        assertThat(s.command()).containsExactly("nginx", "-T");
        assertThat(s.entryPoint()).containsExactly("/docker-entrypoint.sh");
        assertThat(s.environment()).containsExactlyInAnyOrderEntriesOf(Map.of("A", "1", "B", "override", "C", "3"));
        assertThat(s.workingDirectory()).isEqualTo("/srv");
        assertThat(s.user()).isEqualTo("101:101");
        assertThat(s.networkMode()).isEqualTo("bridge");
        assertThat(s.ports()).containsExactly(new PortBinding(80, "tcp", "192.0.2.10", 8080),
                new PortBinding(9000, "udp", "192.0.2.10", 0));
        assertThat(s.cpuShares()).isEqualTo(512);
        assertThat(s.memoryBytes()).isEqualTo(512L << 20);
        assertThat(s.memoryReservationBytes()).isEqualTo(128L << 20);
        assertThat(s.ulimits()).containsExactly(new ContainerSpec.Ulimit("nofile", 1024, 4096));
        assertThat(s.labels()).containsEntry("team", "web")
                .containsEntry(AgentLabels.TASK_ARN, task.taskArn())
                .containsEntry(AgentLabels.CONTAINER_NAME, "web")
                .containsEntry(AgentLabels.CLUSTER, Tasks.CLUSTER)
                .containsEntry(AgentLabels.TASK_DEFINITION_FAMILY, "web")
                .containsEntry(AgentLabels.TASK_DEFINITION_VERSION, "1")
                .containsEntry(AgentLabels.CONTAINER_INSTANCE, INSTANCE)
                .containsEntry(AgentLabels.MANAGED, "true");
        assertThat(s.readonlyRootFilesystem()).isTrue();
        assertThat(s.init()).isTrue();
        assertThat(s.privileged()).isFalse();
        assertThat(s.healthCheck()).isEqualTo(new ContainerSpec.HealthCheck(
                List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 3, Duration.ZERO));
        assertThat(plan.hasHealthCheck()).isTrue();
        assertThat(s.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.extraHosts()).containsExactly("db:10.0.0.5");
    }

    @Test
    void cpuBelowTheMinimumBecomesTwoSharesAndTaskMemoryLimitsContainersWithoutTheirOwn() {
        var task = running("t1", td("app", "\"memory\":\"512\",",
                container("a", "busybox", "\"stopTimeout\":5"), container("b", "busybox", "\"memory\":64,\"cpu\":1")));

        TaskSpec spec = TaskSpecs.read(task, INSTANCE, SETTINGS);

        assertThat(spec.containers()).extracting(c -> c.template().cpuShares()).containsExactly(2, 2);
        assertThat(spec.containers()).extracting(c -> c.template().memoryBytes()).containsExactly(512L << 20, 64L << 20);
        assertThat(spec.containers().get(0).stopTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.containers().get(0).hasHealthCheck()).isFalse();
        assertThat(spec.containers().get(0).template().healthCheck()).isNull();
    }

    @Test
    void hostNetworkModeKeepsTheContainerPortsAsTheHostsOwn() {
        var task = running("t1", td("app", "\"networkMode\":\"host\",",
                container("a", "busybox", "\"portMappings\":[{\"containerPort\":80,\"hostPort\":80},"
                        + "{\"containerPort\":53,\"protocol\":\"udp\"}]")));

        ContainerSpec s = TaskSpecs.read(task, INSTANCE, SETTINGS).containers().get(0).template();

        assertThat(s.networkMode()).isEqualTo("host");
        assertThat(s.ports()).containsExactly(new PortBinding(80, "tcp", "0.0.0.0", 80),
                new PortBinding(53, "udp", "0.0.0.0", 53));
    }

    @Test
    void aContainerPortRangeIsPublishedOnContiguousHostPorts() {
        var task = running("t1", td("app", "",
                container("a", "busybox", "\"portMappings\":[{\"containerPortRange\":\"9000-9003\"}]")));

        ContainerPlan plan = TaskSpecs.read(task, INSTANCE, EngineSettings.defaults()).containers().get(0);

        assertThat(plan.portRanges()).containsExactly(new TaskSpec.PortRange(9000, 9003, "tcp"));
        List<PortBinding> ports = plan.template().ports();
        assertThat(ports).extracting(PortBinding::containerPort).containsExactly(9000, 9001, 9002, 9003);
        int first = ports.get(0).hostPort();
        assertThat(first).isBetween(HostPortRanges.FIRST, HostPortRanges.LAST - 3);
        assertThat(ports).extracting(PortBinding::hostPort).containsExactly(first, first + 1, first + 2, first + 3);
    }

    @Test
    void mapsVolumesMountPointsVolumesFromAndDependsOn() {
        String volumes = """
                "volumes":[{"name":"logs","host":{"sourcePath":"/var/log/app"}},
                           {"name":"scratch","host":{}},
                           {"name":"cache","dockerVolumeConfiguration":{"scope":"task","driver":"local","labels":{"x":"y"}}},
                           {"name":"shared","dockerVolumeConfiguration":{"scope":"shared","autoprovision":true}}],""";
        String app = container("app", "busybox", """
                "mountPoints":[{"sourceVolume":"logs","containerPath":"/logs","readOnly":true},
                               {"sourceVolume":"scratch","containerPath":"/tmp/s"},
                               {"sourceVolume":"cache","containerPath":"/cache"},
                               {"sourceVolume":"shared","containerPath":"/shared"}],
                "volumesFrom":[{"sourceContainer":"data","readOnly":true}],
                "dependsOn":[{"containerName":"data","condition":"COMPLETE"},{"containerName":"db","condition":"HEALTHY"}]""");
        String data = container("data", "busybox", "\"essential\":false");
        String db = container("db", "postgres", "\"healthCheck\":{\"command\":[\"CMD\",\"pg_isready\"],\"interval\":5}");
        var task = running("4d5e6f", td("app", volumes, app, data, db));

        TaskSpec spec = TaskSpecs.read(task, INSTANCE, SETTINGS);

        assertThat(spec.refusal()).isNull();
        ContainerPlan plan = spec.container("app").orElseThrow();
        assertThat(plan.template().binds()).containsExactly(
                "/var/log/app:/logs:ro",
                "ecs-app-1-scratch-4d5e6f:/tmp/s",
                "ecs-app-1-cache-4d5e6f:/cache",
                "shared:/shared");
        assertThat(plan.volumes()).containsExactly("logs", "scratch", "cache", "shared");
        assertThat(plan.dependsOn()).containsExactly(new Dependency("data", Condition.COMPLETE),
                new Dependency("db", Condition.HEALTHY));
        assertThat(TaskSpecs.concrete(plan, "h", Map.of("data", "abc123")).volumesFrom()).containsExactly("abc123:ro");
        assertThat(spec.container("data").orElseThrow().essential()).isFalse();
        assertThat(spec.container("db").orElseThrow().template().healthCheck().interval()).isEqualTo(Duration.ofSeconds(5));

        assertThat(spec.volumes()).extracting(VolumePlan::kind).containsExactly(VolumePlan.Kind.HOST,
                VolumePlan.Kind.TASK, VolumePlan.Kind.TASK, VolumePlan.Kind.SHARED);
        assertThat(spec.taskScopedVolumes()).extracting(VolumePlan::dockerName)
                .containsExactly("ecs-app-1-scratch-4d5e6f", "ecs-app-1-cache-4d5e6f");
        VolumePlan cache = spec.volume("cache").orElseThrow();
        assertThat(cache.create()).isTrue();
        assertThat(cache.labels()).containsEntry("x", "y").containsEntry(AgentLabels.TASK_ARN, task.taskArn());
        assertThat(spec.volume("shared").orElseThrow().create()).isTrue();
        assertThat(spec.volume("shared").orElseThrow().labels()).doesNotContainKey(AgentLabels.TASK_ARN);
    }

    static Stream<Arguments> refusals() {
        String base = container("app", "busybox", "");
        return Stream.of(
                Arguments.of("awsvpc", td("f", "\"networkMode\":\"awsvpc\",", base), "network mode awsvpc"),
                Arguments.of("secrets", td("f", container("app", "busybox",
                        "\"secrets\":[{\"name\":\"P\",\"valueFrom\":\"arn:aws:ssm:us-east-1:0:parameter/p\"}]")), "secrets"),
                Arguments.of("EFS", td("f", "\"volumes\":[{\"name\":\"v\",\"efsVolumeConfiguration\":{\"fileSystemId\":\"fs-1\"}}],",
                        base), "EFS volumes"),
                Arguments.of("FSx", td("f", "\"volumes\":[{\"name\":\"v\",\"fsxWindowsFileServerVolumeConfiguration\":{}}],",
                        base), "FSx volumes"),
                Arguments.of("FireLens", td("f", container("app", "busybox",
                        "\"firelensConfiguration\":{\"type\":\"fluentbit\"}")), "FireLens"),
                Arguments.of("repositoryCredentials", td("f", container("app", "busybox",
                        "\"repositoryCredentials\":{\"credentialsParameter\":\"arn:x\"}")), "repositoryCredentials"),
                Arguments.of("environmentFiles", td("f", container("app", "busybox",
                        "\"environmentFiles\":[{\"value\":\"arn:aws:s3:::b/k.env\",\"type\":\"s3\"}]")),
                        "environment files"),
                Arguments.of("privileged", td("f", container("app", "busybox", "\"privileged\":true")),
                        "privileged containers are not allowed"),
                Arguments.of("unknown dependency", td("f", container("app", "busybox",
                        "\"dependsOn\":[{\"containerName\":\"ghost\",\"condition\":\"START\"}]")), "depends on ghost"),
                Arguments.of("dependency cycle", td("f",
                        container("a", "busybox", "\"dependsOn\":[{\"containerName\":\"b\",\"condition\":\"START\"}]"),
                        container("b", "busybox", "\"dependsOn\":[{\"containerName\":\"a\",\"condition\":\"START\"}]")),
                        "cycle"),
                Arguments.of("undeclared volume", td("f", container("app", "busybox",
                        "\"mountPoints\":[{\"sourceVolume\":\"nope\",\"containerPath\":\"/x\"}]")), "volume nope"),
                Arguments.of("no containers", td("f"), "no containers"),
                Arguments.of("not JSON", "{\"family\":\"f\", oops", "cannot read the task definition"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatBerthCannotRunWithAClearReason(String what, String tdJson, String reason) {
        TaskSpec spec = TaskSpecs.read(running("t1", tdJson), INSTANCE, SETTINGS);

        assertThat(spec.refusal()).contains(reason);
        assertThat(spec.containers()).isEmpty();
    }

    @Test
    void privilegedContainersRunWhereTheAgentAllowsThem() {
        var task = running("t1", td("f", container("app", "busybox", "\"privileged\":true")));

        TaskSpec spec = TaskSpecs.read(task, INSTANCE, SETTINGS.withAllowPrivileged(true));

        assertThat(spec.refusal()).isNull();
        assertThat(spec.containers().get(0).template().privileged()).isTrue();
    }
}
