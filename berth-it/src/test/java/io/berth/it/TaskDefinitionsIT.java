package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.TransportProtocol;

class TaskDefinitionsIT {
    private static BerthFixture berth;
    private EcsClient ecs;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @BeforeEach
    void clean() throws Exception {
        berth.reset();
        ecs = berth.ecs();
    }

    private static ContainerDefinition web(String name) {
        return ContainerDefinition.builder().name(name).image("berth-test/httpd:1").memory(128)
                .portMappings(p -> p.containerPort(8080).protocol(TransportProtocol.TCP))
                .environment(e -> e.name("MODE").value("test"))
                .healthCheck(h -> h.command("CMD-SHELL", "wget -qO- http://127.0.0.1:8080/ || exit 1").interval(10))
                .dockerLabels(java.util.Map.of("team", "web"))
                .ulimits(u -> u.name("nofile").softLimit(1024).hardLimit(2048))
                .build();
    }

    @Test
    void registerDescribeAndTheWholeSchemaComesBack() {
        RegisterTaskDefinitionRequest request = RegisterTaskDefinitionRequest.builder()
                .family("web")
                .containerDefinitions(web("web"), ContainerDefinition.builder().name("sidecar").image("berth-test/busybox:1")
                        .memoryReservation(32).essential(false)
                        .dependsOn(d -> d.containerName("web").condition(ContainerCondition.HEALTHY))
                        .mountPoints(m -> m.sourceVolume("data").containerPath("/data").readOnly(true))
                        .volumesFrom(v -> v.sourceContainer("web"))
                        .linuxParameters(l -> l.initProcessEnabled(true))
                        .build())
                .volumes(v -> v.name("data").host(h -> h.sourcePath("/tmp")))
                .placementConstraints(p -> p.type("memberOf").expression("attribute:ecs.os-type == linux"))
                .tags(Tag.builder().key("app").value("web").build())
                .build();
        TaskDefinition td = ecs.registerTaskDefinition(request).taskDefinition();
        assertThat(td.taskDefinitionArn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:task-definition/web:1");
        assertThat(td.revision()).isEqualTo(1);
        assertThat(td.status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
        assertThat(td.compatibilities()).contains(Compatibility.EC2);
        assertThat(td.registeredAt()).isNotNull();
        assertThat(td.containerDefinitions()).hasSize(2);
        ContainerDefinition webBack = td.containerDefinitions().get(0);
        assertThat(webBack.essential()).isTrue();
        assertThat(webBack.cpu()).isZero();
        assertThat(webBack.portMappings()).singleElement().satisfies(p -> {
            assertThat(p.containerPort()).isEqualTo(8080);
            assertThat(p.protocol()).isEqualTo(TransportProtocol.TCP);
        });
        assertThat(webBack.healthCheck().interval()).isEqualTo(10);
        assertThat(webBack.healthCheck().retries()).isEqualTo(3);
        assertThat(webBack.ulimits()).hasSize(1);
        assertThat(td.containerDefinitions().get(1).dependsOn()).hasSize(1);
        assertThat(td.containerDefinitions().get(1).linuxParameters().initProcessEnabled()).isTrue();
        assertThat(td.volumes()).singleElement().satisfies(v -> assertThat(v.host().sourcePath()).isEqualTo("/tmp"));
        assertThat(td.placementConstraints()).hasSize(1);

        var described = ecs.describeTaskDefinition(r -> r.taskDefinition("web").include(TaskDefinitionField.TAGS));
        assertThat(described.taskDefinition()).isEqualTo(td);
        assertThat(described.tags()).containsExactly(Tag.builder().key("app").value("web").build());
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(td.taskDefinitionArn())).taskDefinition()).isEqualTo(td);
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(td.taskDefinitionArn())).tags()).hasSize(1);
    }

    @Test
    void fargateNeedsAwsvpcAndAValidSize() {
        TaskDefinition ok = ecs.registerTaskDefinition(r -> r.family("fg").requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC).cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("x").build())).taskDefinition();
        assertThat(ok.compatibilities()).contains(Compatibility.FARGATE);
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("fg").requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.AWSVPC).cpu("512").memory("256")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("x").build())))
                .isInstanceOf(ClientException.class).hasMessageContaining("No Fargate configuration exists for given values");
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("fg").requiresCompatibilities(Compatibility.FARGATE)
                .networkMode(NetworkMode.BRIDGE).cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("x").build())))
                .isInstanceOf(ClientException.class);
    }

    @Test
    void refusesInvalidDefinitionsAsAwsDoes() {
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("bad name!")
                .containerDefinitions(web("web")))).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("dup")
                .containerDefinitions(web("a"), web("a")))).isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("noessential")
                .containerDefinitions(web("a").toBuilder().essential(false).build())))
                .isInstanceOf(ClientException.class).hasMessageContaining("essential");
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("nomemory")
                .containerDefinitions(ContainerDefinition.builder().name("a").image("x").build())))
                .isInstanceOf(ClientException.class).hasMessageContaining("memory");
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("deps")
                .containerDefinitions(web("a").toBuilder().dependsOn(d -> d.containerName("ghost")
                        .condition(ContainerCondition.START)).build())))
                .isInstanceOf(ClientException.class).hasMessageContaining("ghost");
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("health")
                .containerDefinitions(web("a").toBuilder().healthCheck(h -> h.command("CMD-SHELL", "true")
                        .interval(1)).build()))).isInstanceOf(EcsExceptionTypes.CLIENT_OR_INVALID);
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("awsvpc").networkMode(NetworkMode.AWSVPC)
                .containerDefinitions(web("a").toBuilder().portMappings(p -> p.containerPort(80).hostPort(81)).build())))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("vol")
                .containerDefinitions(web("a").toBuilder().mountPoints(m -> m.sourceVolume("nope").containerPath("/x")).build())))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("ghost:1")))
                .isInstanceOf(ClientException.class).hasMessageStartingWith("Unable to describe task definition.");
    }

    @Test
    void revisionsCountUpEvenUnderConcurrentRegistration() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<Integer> revisions = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            futures.add(pool.submit(() -> revisions.add(ecs.registerTaskDefinition(r -> r.family("busy")
                    .containerDefinitions(web("web"))).taskDefinition().revision())));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(revisions).hasSize(40).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
    }

    @Test
    void listPaginatesSortsAndFilters() {
        for (int i = 0; i < 12; i++) {
            ecs.registerTaskDefinition(r -> r.family("alpha").containerDefinitions(web("web")));
        }
        ecs.registerTaskDefinition(r -> r.family("beta").containerDefinitions(web("web")));
        List<String> all = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListTaskDefinitionsResponse page = ecs.listTaskDefinitions(r -> r.maxResults(5).nextToken(t));
            all.addAll(page.taskDefinitionArns());
            token = page.nextToken();
        } while (token != null);
        assertThat(all).hasSize(13).doesNotHaveDuplicates();
        assertThat(all.get(0)).endsWith("alpha:1");
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("alpha").sort(SortOrder.DESC).maxResults(1))
                .taskDefinitionArns()).containsExactly("arn:aws:ecs:us-east-1:000000000000:task-definition/alpha:12");
        assertThat(ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix("alpha").maxResults(3)).taskDefinitionArns()).hasSize(12);
        assertThat(ecs.listTaskDefinitionFamilies(r -> r.familyPrefix("b")).families()).containsExactly("beta");
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.nextToken("junk"))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void deregisterThenDelete() {
        ecs.registerTaskDefinition(r -> r.family("gone").containerDefinitions(web("web")));
        ecs.registerTaskDefinition(r -> r.family("gone").containerDefinitions(web("web")));
        assertThatThrownBy(() -> ecs.deregisterTaskDefinition(r -> r.taskDefinition("gone")))
                .isInstanceOf(EcsExceptionTypes.CLIENT_OR_INVALID);
        DeleteTaskDefinitionsResponse active = ecs.deleteTaskDefinitions(r -> r.taskDefinitions("gone:2"));
        assertThat(active.failures()).singleElement().satisfies(f -> assertThat(f.reason()).contains("ACTIVE"));

        TaskDefinition inactive = ecs.deregisterTaskDefinition(r -> r.taskDefinition("gone:1")).taskDefinition();
        assertThat(inactive.status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        assertThat(inactive.deregisteredAt()).isNotNull();
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("gone")).taskDefinition().revision()).isEqualTo(2);
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("gone")).taskDefinitionArns()).hasSize(1);
        assertThat(ecs.listTaskDefinitions(r -> r.familyPrefix("gone").status(TaskDefinitionStatus.INACTIVE))
                .taskDefinitionArns()).hasSize(1);

        DeleteTaskDefinitionsResponse deleted = ecs.deleteTaskDefinitions(r -> r.taskDefinitions("gone:1"));
        assertThat(deleted.taskDefinitions()).singleElement()
                .satisfies(t -> assertThat(t.status()).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS));
        ecs.deregisterTaskDefinition(r -> r.taskDefinition("gone:2"));
        assertThat(ecs.listTaskDefinitionFamilies(r -> r.status(TaskDefinitionFamilyStatus.ACTIVE)).families())
                .doesNotContain("gone");
        assertThat(ecs.registerTaskDefinition(r -> r.family("gone").containerDefinitions(web("web")))
                .taskDefinition().revision()).isEqualTo(3);
    }

    @Test
    void survivesRestart() throws Exception {
        ecs.registerTaskDefinition(r -> r.family("kept").containerDefinitions(web("web")));
        berth.restart();
        ecs = berth.ecs();
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("kept:1")).taskDefinition().family()).isEqualTo("kept");
        assertThat(ecs.registerTaskDefinition(r -> r.family("kept").containerDefinitions(web("web")))
                .taskDefinition().revision()).isEqualTo(2);
    }
}
