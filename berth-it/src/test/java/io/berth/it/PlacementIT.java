package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.agent.Registered;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/** Placement strategies, constraints and the cluster query language through the API. */
class PlacementIT {
    private static BerthFixture berth;
    private static EcsClient ecs;
    private static Registered a;
    private static Registered b;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
        ecs = berth.ecs();
        ecs.createCluster(r -> r.clusterName("place"));
        String key = berth.server().credentials().accessKeyId();
        String secret = berth.server().credentials().secretAccessKey();
        a = new ScriptedAgent(berth.endpoint(), key, secret).register("place", 4096, 4096,
                Map.of("ecs.availability-zone", "us-east-1a", "disk", "ssd"));
        b = new ScriptedAgent(berth.endpoint(), key, secret).register("place", 4096, 2048,
                Map.of("ecs.availability-zone", "us-east-1b", "disk", "hdd"));
        ecs.registerTaskDefinition(r -> r.family("app").containerDefinitions(c -> c.name("app").image("x").memory(128)));
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @Test
    void memberOfPlacesOnlyOnMatchingInstancesAndSaysWhyNot() {
        RunTaskResponse ssd = ecs.runTask(r -> r.cluster("place").taskDefinition("app").count(3)
                .placementConstraints(c -> c.type(PlacementConstraintType.MEMBER_OF).expression("attribute:disk == ssd")));
        assertThat(ssd.tasks()).hasSize(3).allSatisfy(t -> assertThat(t.containerInstanceArn())
                .isEqualTo(a.containerInstanceArn()));
        RunTaskResponse none = ecs.runTask(r -> r.cluster("place").taskDefinition("app")
                .placementConstraints(c -> c.type(PlacementConstraintType.MEMBER_OF).expression("attribute:disk == nvme")));
        assertThat(none.tasks()).isEmpty();
        assertThat(none.failures()).extracting(f -> f.reason()).contains("MemberOf placement constraint unsatisfied.");
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster("place").taskDefinition("app")
                .placementConstraints(c -> c.type(PlacementConstraintType.MEMBER_OF).expression("(attribute:disk == ssd"))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void spreadByZoneBalancesAndDistinctInstanceCaps() {
        RunTaskResponse spread = ecs.runTask(r -> r.cluster("place").taskDefinition("app").count(4).group("spread")
                .placementStrategy(s -> s.type(PlacementStrategyType.SPREAD).field("attribute:ecs.availability-zone")));
        Map<String, Long> perInstance = spread.tasks().stream()
                .collect(Collectors.groupingBy(Task::containerInstanceArn, Collectors.counting()));
        assertThat(perInstance.values()).containsExactly(2L, 2L);

        RunTaskResponse distinct = ecs.runTask(r -> r.cluster("place").taskDefinition("app").count(3).group("distinct")
                .placementConstraints(c -> c.type(PlacementConstraintType.DISTINCT_INSTANCE)));
        assertThat(distinct.tasks()).hasSize(2);
        assertThat(distinct.failures()).isNotEmpty();
    }

    @Test
    void binpackOnMemoryFillsTheFullestInstanceFirst() {
        RunTaskResponse packed = ecs.runTask(r -> r.cluster("place").taskDefinition("app").count(2).group("packed")
                .placementStrategy(s -> s.type(PlacementStrategyType.BINPACK).field("memory")));
        assertThat(packed.tasks()).allSatisfy(t -> assertThat(t.containerInstanceArn()).isEqualTo(b.containerInstanceArn()));
    }

    @Test
    void listContainerInstancesFilterUsesTheQueryLanguage() {
        assertThat(ecs.listContainerInstances(l -> l.cluster("place").filter("attribute:disk == ssd"))
                .containerInstanceArns()).containsExactly(a.containerInstanceArn());
        assertThat(ecs.listContainerInstances(l -> l.cluster("place")
                .filter("attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and agentConnected == true"))
                .containerInstanceArns()).hasSize(2);
        assertThatThrownBy(() -> ecs.listContainerInstances(l -> l.cluster("place").filter("attribute:disk ?? x")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("character");
    }
}
