package io.berth.scheduler.placement;

import static io.berth.scheduler.placement.PlacementConstraint.distinctInstance;
import static io.berth.scheduler.placement.PlacementConstraint.memberOf;
import static io.berth.scheduler.placement.PlacementStrategy.Resource.CPU;
import static io.berth.scheduler.placement.PlacementStrategy.Resource.MEMORY;
import static io.berth.scheduler.placement.PlacementStrategy.binpack;
import static io.berth.scheduler.placement.PlacementStrategy.random;
import static io.berth.scheduler.placement.PlacementStrategy.spread;
import static io.berth.scheduler.snapshot.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.task.Allocation;
import io.berth.core.task.TaskStatus;
import io.berth.scheduler.snapshot.ClusterSnapshot;
import io.berth.scheduler.snapshot.InstanceBuilder;
import io.berth.scheduler.snapshot.InstanceView;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementEngineTest {
    private static final TaskDemand SMALL = new TaskDemand(100, 200, List.of(), List.of());
    private static final String WEB = "family:web";

    private static PlacementResult place(PlacementRequest request, InstanceBuilder... instances) {
        ClusterSnapshot snapshot = new ClusterSnapshot(Stream.of(instances).map(InstanceBuilder::build).toList());
        PlacementResult indexed = PlacementEngine.place(snapshot, request, new SplittableRandom(7), true);
        PlacementResult scanned = PlacementEngine.place(snapshot, request, new SplittableRandom(7), false);
        assertThat(indexed).as("the index and the scan agree").isEqualTo(scanned);
        return indexed;
    }

    private static PlacementRequest web(int count, PlacementStrategy... strategies) {
        return PlacementRequest.standalone(SMALL, count, WEB).withStrategies(strategies);
    }

    /** An instance with {@code cpu} and {@code memory} left for SMALL-sized tasks. */
    private static InstanceBuilder left(String id, int cpu, int memory) {
        return instance(id).cpu(cpu).memory(memory);
    }

    static Stream<Arguments> strategies() {
        return Stream.of(
                Arguments.of("binpack memory: least memory left that fits, then the next",
                        web(2, binpack(MEMORY)),
                        List.of(left("a", 4096, 1000), left("b", 4096, 300), left("c", 4096, 4000)),
                        List.of("b", "a")),
                Arguments.of("binpack cpu",
                        web(3, binpack(CPU)),
                        List.of(left("a", 250, 4096), left("b", 1000, 4096), left("c", 150, 4096)),
                        List.of("c", "a", "a")),
                Arguments.of("spread by zone: fewest tasks of the group in the zone; ties to the earliest instance",
                        web(3, spread("attribute:ecs.availability-zone")),
                        List.of(instance("a1").az("a").task(WEB), instance("a2").az("a"), instance("b1").az("b"),
                                instance("c1").az("c")),
                        List.of("b1", "c1", "a1")),
                Arguments.of("spread counts only the tasks of the same group",
                        web(2, spread("attribute:ecs.availability-zone")),
                        List.of(instance("a1").az("a").task("family:other").task("family:other"),
                                instance("b1").az("b").task(WEB)),
                        List.of("a1", "a1")),
                Arguments.of("spread by instanceId",
                        web(3, spread("instanceId")),
                        List.of(instance("i1").task(WEB).task(WEB), instance("i2"), instance("i3").task(WEB)),
                        List.of("i2", "i2", "i3")),
                Arguments.of("spread by host is spread by instanceId",
                        web(3, spread("host")),
                        List.of(instance("i1").task(WEB).task(WEB), instance("i2"), instance("i3").task(WEB)),
                        List.of("i2", "i2", "i3")),
                Arguments.of("spread: instances without the attribute share one value",
                        web(3, spread("attribute:rack")),
                        List.of(instance("r1").attribute("rack", "1"), instance("n1"), instance("n2")),
                        List.of("r1", "n1", "r1")),
                Arguments.of("spread then binpack: least memory within the emptiest zone",
                        web(3, spread("attribute:ecs.availability-zone"), binpack(MEMORY)),
                        List.of(left("a1", 4096, 1000).az("a"), left("a2", 4096, 500).az("a"),
                                left("b1", 4096, 800).az("b")),
                        List.of("a2", "b1", "a2")),
                Arguments.of("binpack then spread: the order of strategies matters",
                        web(3, binpack(MEMORY), spread("attribute:ecs.availability-zone")),
                        List.of(left("a1", 4096, 1000).az("a"), left("a2", 4096, 500).az("a"),
                                left("b1", 4096, 800).az("b")),
                        List.of("a2", "a2", "b1")),
                Arguments.of("spread zone then instanceId",
                        web(4, spread("attribute:ecs.availability-zone"), spread("instanceId")),
                        List.of(instance("a1").az("a").task(WEB), instance("a2").az("a"), instance("b1").az("b")),
                        List.of("b1", "a2", "b1", "a1")),
                Arguments.of("no strategy: the earliest registered instance that fits",
                        web(3),
                        List.of(left("first", 150, 4096), left("second", 4096, 4096)),
                        List.of("first", "second", "second")),
                Arguments.of("a service without strategies: spread by zone, then by instance",
                        PlacementRequest.forService(SMALL, 3, "api"),
                        List.of(instance("a1").az("a").task("service:api"), instance("a2").az("a"),
                                instance("b1").az("b")),
                        List.of("b1", "a2", "b1")),
                Arguments.of("a service counts its own tasks, not the family's",
                        PlacementRequest.forService(SMALL, 1, "api").withStrategies(spread("instanceId")),
                        List.of(instance("i1").task("family:api").task("family:api"), instance("i2").task("service:api")),
                        List.of("i1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void strategiesRankTheCandidatesInOrder(String name, PlacementRequest request, List<InstanceBuilder> cluster,
                                            List<String> expected) {
        PlacementResult result = place(request, cluster.toArray(new InstanceBuilder[0]));
        assertThat(result.placements()).isEqualTo(expected);
        assertThat(result.vetoes()).isEmpty();
    }

    static Stream<Arguments> constraints() {
        return Stream.of(
                Arguments.of("memberOf by attribute",
                        web(2).withConstraints(memberOf("attribute:ecs.instance-type =~ t2.*")),
                        List.of(instance("m5").attribute("ecs.instance-type", "m5.large"),
                                instance("t2").attribute("ecs.instance-type", "t2.small")),
                        List.of("t2", "t2")),
                Arguments.of("memberOf task:group: affinity with another group",
                        web(2).withConstraints(memberOf("task:group == service:db")),
                        List.of(instance("plain"), instance("db").task("service:db")),
                        List.of("db", "db")),
                Arguments.of("memberOf not(task:group == own group): tasks placed earlier count",
                        web(3).withConstraints(memberOf("not(task:group == family:web)")),
                        List.of(instance("i1"), instance("i2"), instance("i3").task(WEB)),
                        List.of("i1", "i2")),
                Arguments.of("distinctInstance: one task of the group per instance, earlier ones included",
                        web(3).withConstraints(distinctInstance()),
                        List.of(instance("i1").task(WEB), instance("i2"), instance("i3").task("family:other")),
                        List.of("i2", "i3")),
                Arguments.of("distinctInstance for a service counts the service's tasks",
                        PlacementRequest.forService(SMALL, 2, "api").withConstraints(distinctInstance()),
                        List.of(instance("i1").az("a").task("service:api"), instance("i2").az("a"),
                                instance("i3").az("a").task(WEB)),
                        List.of("i2", "i3")),
                Arguments.of("constraints with strategies: binpack among the members only",
                        web(1, binpack(MEMORY)).withConstraints(memberOf("attribute:ssd exists")),
                        List.of(left("tight", 4096, 200), left("ssd", 4096, 4000).attribute("ssd", null)),
                        List.of("ssd")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constraints")
    void constraintsAreBinding(String name, PlacementRequest request, List<InstanceBuilder> cluster,
                               List<String> expected) {
        PlacementResult result = place(request, cluster.toArray(new InstanceBuilder[0]));
        assertThat(result.placements()).isEqualTo(expected);
        if (expected.size() < request.count()) {
            assertThat(result.vetoes()).hasSize(cluster.size());
        } else {
            assertThat(result.vetoes()).isEmpty();
        }
    }

    static Stream<Arguments> vetoes() {
        TaskDemand ports = new TaskDemand(100, 200, List.of(80), List.of(53));
        PlacementRequest plain = PlacementRequest.standalone(ports, 1, WEB);
        return Stream.of(
                Arguments.of(plain, instance("x").status("DRAINING"), "INACTIVE"),
                Arguments.of(plain, instance("x").status("INACTIVE").disconnected(), "INACTIVE"),
                Arguments.of(plain, instance("x").disconnected().cpu(0), "AGENT"),
                Arguments.of(plain, instance("x").cpu(99).memory(0), "RESOURCE:CPU"),
                Arguments.of(plain, instance("x").cpu(300).task("family:a", TaskStatus.RUNNING,
                        new Allocation(201, 0, List.of(), List.of())), "RESOURCE:CPU"),
                Arguments.of(plain, instance("x").memory(199), "RESOURCE:MEMORY"),
                Arguments.of(plain, instance("x").memory(1000).task("family:a", TaskStatus.PENDING,
                        new Allocation(0, 801, List.of(), List.of())), "RESOURCE:MEMORY"),
                Arguments.of(plain, instance("x").reservedTcp(22, 80), "RESOURCE:PORTS"),
                Arguments.of(plain, instance("x").task("family:a", TaskStatus.RUNNING,
                        new Allocation(0, 0, List.of(80), List.of())), "RESOURCE:PORTS"),
                Arguments.of(plain, instance("x").reservedUdp(53), "RESOURCE:PORTS_UDP"),
                Arguments.of(plain, instance("x").task("family:a", TaskStatus.STOPPED,
                        new Allocation(0, 0, List.of(80), List.of())), null),
                Arguments.of(plain.withConstraints(memberOf("attribute:gpu exists")), instance("x"),
                        "MemberOf placement constraint unsatisfied."),
                Arguments.of(plain.withConstraints(distinctInstance()), instance("x").task(WEB),
                        "DistinctInstance placement constraint unsatisfied."),
                Arguments.of(plain.withConstraints(distinctInstance(), memberOf("attribute:gpu exists")),
                        instance("x").task(WEB), "DistinctInstance placement constraint unsatisfied."),
                Arguments.of(plain.withConstraints(memberOf("attribute:gpu exists"), distinctInstance()),
                        instance("x").task(WEB), "MemberOf placement constraint unsatisfied."),
                Arguments.of(plain.withConstraints(memberOf("attribute:gpu exists")), instance("x").memory(0),
                        "RESOURCE:MEMORY"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("vetoes")
    void vetoesSayWhyInEcsWords(PlacementRequest request, InstanceBuilder instance, String reason) {
        PlacementResult result = place(request, instance, left("small", 10, 10));
        if (reason == null) {
            assertThat(result.placements()).containsExactly("x");
            return;
        }
        assertThat(result.placements()).isEmpty();
        assertThat(result.vetoes()).containsExactly(new PlacementResult.Veto("x", reason),
                new PlacementResult.Veto("small", "RESOURCE:CPU"));
    }

    @Test
    void tasksPlacedEarlierHoldTheirPortsAndResources() {
        TaskDemand port80 = new TaskDemand(100, 200, List.of(80), List.of());
        PlacementResult result = place(PlacementRequest.standalone(port80, 3, WEB), instance("a"), instance("b"));
        assertThat(result.placements()).containsExactly("a", "b");
        assertThat(result.vetoes()).containsExactly(new PlacementResult.Veto("a", "RESOURCE:PORTS"),
                new PlacementResult.Veto("b", "RESOURCE:PORTS"));

        PlacementResult memory = place(PlacementRequest.standalone(SMALL, 5, WEB), left("a", 4096, 450));
        assertThat(memory.placements()).containsExactly("a", "a");
        assertThat(memory.vetoes()).containsExactly(new PlacementResult.Veto("a", "RESOURCE:MEMORY"));
    }

    @Test
    void randomIsSeededAndOnlyBreaksTheTiesBeforeIt() {
        List<InstanceBuilder> cluster = List.of(instance("a1").az("a").task(WEB), instance("a2").az("a"),
                instance("b1").az("b"), instance("b2").az("b"), instance("b3").az("b"));
        ClusterSnapshot snapshot = new ClusterSnapshot(cluster.stream().map(InstanceBuilder::build).toList());

        PlacementRequest alone = PlacementRequest.standalone(new TaskDemand(1, 1, List.of(), List.of()), 300, WEB)
                .withStrategies(random());
        PlacementResult first = PlacementEngine.place(snapshot, alone, new SplittableRandom(42));
        assertThat(PlacementEngine.place(snapshot, alone, new SplittableRandom(42))).isEqualTo(first);
        Map<String, Long> perInstance = first.placements().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(perInstance).containsOnlyKeys("a1", "a2", "b1", "b2", "b3");
        assertThat(Collections.min(perInstance.values())).isGreaterThan(30);

        PlacementRequest afterSpread = web(1, spread("attribute:ecs.availability-zone"), random());
        for (long seed = 0; seed < 20; seed++) {
            assertThat(PlacementEngine.place(snapshot, afterSpread, new SplittableRandom(seed)).placements())
                    .singleElement().isIn("b1", "b2", "b3");
        }
    }

    @Test
    void nothingToPlaceIsNotAFailure() {
        assertThat(place(web(0), instance("a").cpu(0))).isEqualTo(new PlacementResult(List.of(), List.of()));
        assertThat(PlacementEngine.place(new ClusterSnapshot(List.of()), web(1), new SplittableRandom(1)))
                .isEqualTo(new PlacementResult(List.of(), List.of()));
    }

    @Test
    void limitsOfFiveStrategiesAndTenConstraints() {
        PlacementStrategy s = spread("instanceId");
        assertThat(web(1, s, s, s, s, s).strategies()).hasSize(5);
        assertThatThrownBy(() -> web(1, s, s, s, s, s, s))
                .isInstanceOfSatisfying(BerthException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining("maximum of 5 placement strategies");
        List<PlacementConstraint> eleven = Collections.nCopies(11, distinctInstance());
        assertThatThrownBy(() -> web(1).withConstraints(eleven))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("maximum of 10 placement constraints");
    }

    @Test
    void serviceDefaultIsSpreadByZoneThenInstance() {
        assertThat(PlacementRequest.forService(SMALL, 1, "api").effectiveStrategies())
                .containsExactly(spread("attribute:ecs.availability-zone"), spread("instanceId"));
        assertThat(PlacementRequest.forService(SMALL, 1, "api").withStrategies(binpack(CPU)).effectiveStrategies())
                .containsExactly(binpack(CPU));
        assertThat(web(1).effectiveStrategies()).isEmpty();
    }

    @Test
    void theSnapshotIsLeftAsItWas() {
        InstanceView view = instance("a").build();
        ClusterSnapshot snapshot = ClusterSnapshot.of(view);
        PlacementEngine.place(snapshot, web(2).withConstraints(memberOf("runningTasksCount < 5")),
                new SplittableRandom(1));
        assertThat(snapshot.instances()).containsExactly(view);
        assertThat(view.load().liveTasks()).isZero();
    }
}
