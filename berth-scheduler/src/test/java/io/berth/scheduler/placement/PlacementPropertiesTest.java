package io.berth.scheduler.placement;

import static io.berth.scheduler.placement.PlacementStrategy.Resource.CPU;
import static io.berth.scheduler.placement.PlacementStrategy.Resource.MEMORY;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Allocation;
import io.berth.core.task.TaskStatus;
import io.berth.scheduler.placement.PlacementConstraint.DistinctInstance;
import io.berth.scheduler.placement.PlacementConstraint.MemberOf;
import io.berth.scheduler.placement.PlacementStrategy.Resource;
import io.berth.scheduler.snapshot.ClusterSnapshot;
import io.berth.scheduler.snapshot.InstanceBuilder;
import io.berth.scheduler.snapshot.InstanceView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/** Invariants of placement over generated clusters and requests (DESIGN.md "Tests": property layer). */
class PlacementPropertiesTest {
    private static final List<String> GROUPS = List.of("family:web", "service:api", "family:batch");

    // ---- invariants ---------------------------------------------------------------------------

    @Property(tries = 400)
    void placementsNeverExceedCapacity(@ForAll("clusters") ClusterSnapshot cluster,
                                       @ForAll("requests") PlacementRequest request, @ForAll long seed) {
        PlacementResult result = PlacementEngine.place(cluster, request, new SplittableRandom(seed));
        Map<String, Long> perInstance = countById(result.placements());
        TaskDemand d = request.demand();
        for (InstanceView view : cluster.instances()) {
            long k = perInstance.getOrDefault(view.id(), 0L);
            if (k == 0) {
                continue;
            }
            ContainerInstance i = view.instance();
            assertThat(i.active() && view.agentConnected()).as("%s is ACTIVE and connected", i.id()).isTrue();
            assertThat(view.load().cpu() + k * d.cpu()).as("CPU of %s", i.id()).isLessThanOrEqualTo(i.cpu());
            assertThat(view.load().memory() + k * d.memory()).as("memory of %s", i.id())
                    .isLessThanOrEqualTo(i.memory());
            if (!d.tcpPorts().isEmpty()) {
                assertThat(k).as("one task per TCP host port on %s", i.id()).isEqualTo(1);
                assertThat(view.load().tcpPorts()).doesNotContainAnyElementsOf(d.tcpPorts());
            }
            if (!d.udpPorts().isEmpty()) {
                assertThat(k).as("one task per UDP host port on %s", i.id()).isEqualTo(1);
                assertThat(view.load().udpPorts()).doesNotContainAnyElementsOf(d.udpPorts());
            }
        }
    }

    @Property(tries = 400)
    void everyConstraintHoldsOnEveryPlacement(@ForAll("clusters") ClusterSnapshot cluster,
                                              @ForAll("requests") PlacementRequest request, @ForAll long seed) {
        PlacementResult result = PlacementEngine.place(cluster, request, new SplittableRandom(seed));
        Map<String, InstanceView> views = new HashMap<>();
        cluster.instances().forEach(v -> views.put(v.id(), v));
        for (String id : result.placements()) {
            InstanceView view = views.get(id);
            for (PlacementConstraint c : request.constraints()) {
                if (c instanceof MemberOf m) {
                    assertThat(m.query().matches(view)).as("%s on %s", m.query(), id).isTrue();
                }
                if (c instanceof DistinctInstance) {
                    assertThat(view.load().live(request.group())).as("distinctInstance on %s", id).isZero();
                }
            }
            views.put(id, view.withPendingTask(request.group()));
        }
    }

    @Property(tries = 400)
    void allArePlacedOrEveryInstanceSaysWhyNot(@ForAll("clusters") ClusterSnapshot cluster,
                                               @ForAll("requests") PlacementRequest request, @ForAll long seed) {
        PlacementResult result = PlacementEngine.place(cluster, request, new SplittableRandom(seed));
        assertThat(result.placements().size()).isLessThanOrEqualTo(request.count());
        if (result.placements().size() == request.count()) {
            assertThat(result.vetoes()).isEmpty();
        } else {
            assertThat(result.vetoes()).extracting(PlacementResult.Veto::instanceId)
                    .containsExactlyInAnyOrderElementsOf(cluster.instances().stream().map(InstanceView::id).toList());
            assertThat(result.vetoes()).extracting(PlacementResult.Veto::reason).allMatch(r -> List.of(
                    VetoReasons.INACTIVE, VetoReasons.AGENT, VetoReasons.CPU, VetoReasons.MEMORY, VetoReasons.PORTS,
                    VetoReasons.PORTS_UDP, VetoReasons.MEMBER_OF, VetoReasons.DISTINCT_INSTANCE).contains(r));
        }
    }

    @Property(tries = 300)
    void binpackPicksTheFeasibleInstanceWithTheLeastRemaining(@ForAll("clusters") ClusterSnapshot cluster,
                                                              @ForAll("demands") TaskDemand demand,
                                                              @ForAll Resource resource) {
        PlacementRequest request = PlacementRequest.standalone(demand, 1, "family:web")
                .withStrategies(PlacementStrategy.binpack(resource));
        PlacementResult result = PlacementEngine.place(cluster, request, new SplittableRandom(1));
        List<InstanceView> feasible = cluster.instances().stream().filter(v -> fits(v, demand)).toList();
        if (feasible.isEmpty()) {
            assertThat(result.placements()).isEmpty();
            return;
        }
        Function<InstanceView, Integer> remaining = v -> resource == CPU
                ? v.instance().cpu() - v.load().cpu() : v.instance().memory() - v.load().memory();
        int least = feasible.stream().mapToInt(remaining::apply).min().orElseThrow();
        String chosen = result.placements().getFirst();
        InstanceView view = cluster.instances().stream().filter(v -> v.id().equals(chosen)).findFirst().orElseThrow();
        assertThat(remaining.apply(view)).isEqualTo(least);
    }

    @Property(tries = 300)
    void spreadKeepsValuesWithinOneWhereCapacityAllows(@ForAll @IntRange(min = 1, max = 4) int zones,
                                                       @ForAll @IntRange(min = 1, max = 5) int perZone,
                                                       @ForAll @IntRange(min = 0, max = 60) int count,
                                                       @ForAll boolean byInstance,
                                                       @ForAll boolean thenBinpack) {
        List<InstanceView> instances = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            for (int i = 0; i < perZone; i++) {
                instances.add(InstanceBuilder.instance("z" + z + "-" + i).az("zone-" + z).cpu(100_000)
                        .memory(100_000 - 10 * i - z).build());
            }
        }
        PlacementStrategy spread = PlacementStrategy.spread(byInstance ? "instanceId" : "attribute:ecs.availability-zone");
        PlacementRequest request = PlacementRequest.standalone(new TaskDemand(10, 10, List.of(), List.of()), count,
                "family:web").withStrategies(thenBinpack ? List.of(spread, PlacementStrategy.binpack(MEMORY))
                : List.of(spread));
        PlacementResult result = PlacementEngine.place(new ClusterSnapshot(instances), request, new SplittableRandom(3));
        assertThat(result.placements()).hasSize(count);
        Map<String, Long> perValue = new HashMap<>();
        instances.forEach(v -> perValue.put(byInstance ? v.id() : v.instance().attribute("ecs.availability-zone"), 0L));
        for (String id : result.placements()) {
            perValue.merge(byInstance ? id : id.substring(0, id.indexOf('-')).replace("z", "zone-"), 1L, Long::sum);
        }
        assertThat(Collections.max(perValue.values()) - Collections.min(perValue.values())).isLessThanOrEqualTo(1);
    }

    @Property(tries = 300)
    void theSameSeedGivesTheSamePlacement(@ForAll("clusters") ClusterSnapshot cluster,
                                          @ForAll("requests") PlacementRequest request, @ForAll long seed) {
        assertThat(PlacementEngine.place(cluster, request, new SplittableRandom(seed)))
                .isEqualTo(PlacementEngine.place(cluster, request, new SplittableRandom(seed)));
    }

    @Property(tries = 500)
    void theIndexAgreesWithTheScan(@ForAll("clusters") ClusterSnapshot cluster,
                                   @ForAll("requests") PlacementRequest request) {
        assertThat(PlacementEngine.place(cluster, request, new SplittableRandom(5), true))
                .isEqualTo(PlacementEngine.place(cluster, request, new SplittableRandom(5), false));
    }

    // ---- oracle -------------------------------------------------------------------------------

    /** Resources and the instance itself, written independently of the engine. */
    private static boolean fits(InstanceView v, TaskDemand d) {
        ContainerInstance i = v.instance();
        // the tasks' holdings as the instance builder summed them into the view (InstanceLoad)
        int cpu = v.load().cpu();
        int memory = v.load().memory();
        java.util.Set<Integer> tcp = v.load().tcpPorts();
        java.util.Set<Integer> udp = v.load().udpPorts();
        return i.active() && v.agentConnected() && i.cpu() - cpu >= d.cpu() && i.memory() - memory >= d.memory()
                && Collections.disjoint(tcp, d.tcpPorts()) && Collections.disjoint(udp, d.udpPorts());
    }

    private static Map<String, Long> countById(List<String> ids) {
        return ids.stream().collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new,
                Collectors.counting()));
    }

    // ---- generators ---------------------------------------------------------------------------

    record TaskSpec(String group, TaskStatus status, int cpu, int memory, List<Integer> tcp) {
    }

    record InstanceSpec(int cpu, int memory, String zone, String type, boolean active, boolean connected,
                        int registeredAt, List<TaskSpec> tasks) {
    }

    @Provide
    Arbitrary<ClusterSnapshot> clusters() {
        Arbitrary<TaskSpec> task = Combinators.combine(Arbitraries.of(GROUPS),
                Arbitraries.of(TaskStatus.RUNNING, TaskStatus.PENDING, TaskStatus.STOPPED),
                Arbitraries.integers().between(0, 512), Arbitraries.integers().between(0, 1024),
                Arbitraries.of(List.<Integer>of(), List.of(80), List.of(443))).as(TaskSpec::new);
        Arbitrary<InstanceSpec> instance = Combinators.combine(Arbitraries.integers().between(0, 4096),
                Arbitraries.integers().between(0, 8192), Arbitraries.of("a", "b", "c").injectNull(0.2),
                Arbitraries.of("t2.small", "m5.large"), Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)),
                Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)), Arbitraries.integers().between(0, 5),
                task.list().ofMaxSize(3)).as(InstanceSpec::new);
        return instance.list().ofMaxSize(25).map(PlacementPropertiesTest::snapshot);
    }

    private static ClusterSnapshot snapshot(List<InstanceSpec> specs) {
        List<InstanceView> views = new ArrayList<>();
        for (int n = 0; n < specs.size(); n++) {
            InstanceSpec s = specs.get(n);
            InstanceBuilder b = InstanceBuilder.instance("i" + n).cpu(s.cpu()).memory(s.memory())
                    .status(s.active() ? "ACTIVE" : "DRAINING").connected(s.connected())
                    .registeredAt(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(s.registeredAt()))
                    .attribute("ecs.instance-type", s.type());
            if (s.zone() != null) {
                b.az(s.zone());
            }
            for (TaskSpec t : s.tasks()) {
                b.task(t.group(), t.status(), new Allocation(t.cpu(), t.memory(), t.tcp(), List.of()));
            }
            views.add(b.build());
        }
        return new ClusterSnapshot(views);
    }

    @Provide
    Arbitrary<TaskDemand> demands() {
        return Combinators.combine(Arbitraries.integers().between(0, 512), Arbitraries.integers().between(0, 1024),
                Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(List.<Integer>of())),
                        Tuple.of(1, Arbitraries.just(List.of(80))), Tuple.of(1, Arbitraries.just(List.of(80, 443)))),
                Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(List.<Integer>of())),
                        Tuple.of(1, Arbitraries.just(List.of(53)))))
                .as(TaskDemand::new);
    }

    @Provide
    Arbitrary<PlacementRequest> requests() {
        Arbitrary<PlacementStrategy> strategy = Arbitraries.of(PlacementStrategy.binpack(CPU),
                PlacementStrategy.binpack(MEMORY), PlacementStrategy.spread("attribute:ecs.availability-zone"),
                PlacementStrategy.spread("instanceId"), PlacementStrategy.spread("attribute:ecs.instance-type"),
                PlacementStrategy.random());
        Arbitrary<PlacementConstraint> constraint = Arbitraries.of(PlacementConstraint.distinctInstance(),
                PlacementConstraint.memberOf("attribute:ecs.instance-type == t2.small"),
                PlacementConstraint.memberOf("not(task:group == family:web)"),
                PlacementConstraint.memberOf("runningTasksCount < 2"),
                PlacementConstraint.memberOf("attribute:ecs.availability-zone in [a, b] or task:group == service:api"));
        Arbitrary<PlacementRequest> base = Combinators.combine(demands(), Arbitraries.integers().between(1, 40),
                Arbitraries.of("family:web", "family:batch", "service:api")).as((demand, count, who) ->
                who.startsWith("service:") ? PlacementRequest.forService(demand, count, who.substring(8))
                        : PlacementRequest.standalone(demand, count, who));
        return Combinators.combine(base, strategy.list().ofMaxSize(3), constraint.list().ofMaxSize(2))
                .as((r, s, c) -> r.withStrategies(s).withConstraints(c));
    }

}
