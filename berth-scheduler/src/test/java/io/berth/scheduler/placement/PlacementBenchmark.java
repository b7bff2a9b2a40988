package io.berth.scheduler.placement;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.task.Allocation;
import io.berth.core.task.TaskStatus;
import io.berth.scheduler.snapshot.ClusterSnapshot;
import io.berth.scheduler.snapshot.InstanceView;
import io.berth.scheduler.snapshot.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The placement engine's goal: 10,000 tasks onto 1,000 instances with spread(attribute:ecs.availability-zone)
 * + binpack(memory) + a memberOf constraint, in under 1 s on one core. A plain main class (not run
 * by the build); run it pinned to one core, after {@code mvn -pl berth-scheduler -am install}:
 *
 * <pre>
 * taskset -c 0 java -cp berth-scheduler/target/classes:berth-scheduler/target/test-classes:berth-core/target/classes \
 *     io.berth.scheduler.placement.PlacementBenchmark [warmups] [runs] [instances] [tasks]
 * </pre>
 *
 * With {@code 2000 2000 5000 10} it measures what one RunTask of 10 costs the engine on 5,000 instances.
 *
 * Each run is one whole {@code PlacementEngine.place} call (building the per-call state included),
 * on the same snapshot; the figures are the minimum, median and maximum over the runs, for the
 * indexed path (the default) and for the scan the engine falls back to (forced here), and for the
 * same request with random in place of binpack (always the scan).
 */
public final class PlacementBenchmark {
    private static int INSTANCES = 1_000;
    private static int TASKS = 10_000;

    private PlacementBenchmark() {
    }

    public static void main(String[] args) {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        INSTANCES = args.length > 2 ? Integer.parseInt(args[2]) : INSTANCES;
        TASKS = args.length > 3 ? Integer.parseInt(args[3]) : TASKS;
        ClusterSnapshot cluster = cluster(new SplittableRandom(2024));
        PlacementRequest request = PlacementRequest.forService(new TaskDemand(128, 512, List.of(), List.of()), TASKS,
                        "web")
                .withStrategies(PlacementStrategy.spread("attribute:ecs.availability-zone"),
                        PlacementStrategy.binpack(PlacementStrategy.Resource.MEMORY))
                .withConstraints(PlacementConstraint.memberOf(
                        "attribute:ecs.instance-type =~ m5.* and attribute:ecs.os-type == linux"));
        PlacementRequest random = request.withStrategies(PlacementStrategy.spread("attribute:ecs.availability-zone"),
                PlacementStrategy.random());

        System.out.printf("java %s, %d available processor(s)%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%d instances, %d tasks; memberOf matches %d instances%n", INSTANCES, TASKS,
                cluster.instances().stream().filter(v -> v.instance().attribute("ecs.instance-type").startsWith("m5"))
                        .count());
        measure("spread(az) + binpack(memory) + memberOf, indexed", cluster, request, true, warmups, runs);
        measure("spread(az) + binpack(memory) + memberOf, scan   ", cluster, request, false, warmups, runs);
        measure("spread(az) + random + memberOf (scan)           ", cluster, random, true, warmups, runs);
        measure("spread(az) + binpack(memory), indexed           ", cluster,
                request.withConstraints(List.of()), true, warmups, runs);
        // a model that keeps the columns between calls (as the server's cluster view does)
        ClusterColumns kept = ClusterColumns.of(cluster);
        measure("same + memberOf, columns kept between calls     ", cluster,
                (r, seed) -> PlacementEngine.place(kept, r, new SplittableRandom(seed)), request, warmups, runs);
        measure("same, no memberOf, columns kept between calls   ", cluster,
                (r, seed) -> PlacementEngine.place(kept, r, new SplittableRandom(seed)),
                request.withConstraints(List.of()), warmups, runs);
    }

    private static void measure(String name, ClusterSnapshot cluster, PlacementRequest request, boolean indexed,
                                int warmups, int runs) {
        measure(name, cluster, (r, seed) -> PlacementEngine.place(cluster, r, new SplittableRandom(seed), indexed),
                request, warmups, runs);
    }

    private static void measure(String name, ClusterSnapshot cluster,
                                java.util.function.BiFunction<PlacementRequest, Integer, PlacementResult> place,
                                PlacementRequest request, int warmups, int runs) {
        PlacementResult result = null;
        for (int i = 0; i < warmups; i++) {
            result = place.apply(request, i);
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            result = place.apply(request, i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        Map<String, Integer> perZone = new TreeMap<>();
        Map<String, String> zoneOf = new HashMap<>();
        for (InstanceView v : cluster.instances()) {
            String zone = v.instance().attribute("ecs.availability-zone");
            zoneOf.put(v.id(), zone);
            perZone.merge(zone, v.load().live(request.group()), Integer::sum);
        }
        result.placements().forEach(id -> perZone.merge(zoneOf.get(id), 1, Integer::sum));
        System.out.printf("%s: placed %d, min %.3f ms, median %.3f ms, max %.3f ms; service tasks per zone %s%n", name,
                result.placements().size(), nanos[0] / 1e6, nanos[runs / 2] / 1e6, nanos[runs - 1] / 1e6,
                perZone);
    }

    /** Three zones, three sizes, two families, a fifth of the instances already half busy. */
    private static ClusterSnapshot cluster(SplittableRandom random) {
        String[] zones = {"us-east-1a", "us-east-1b", "us-east-1c"};
        int[] memories = {8192, 16384, 32768};
        List<InstanceView> views = new ArrayList<>(INSTANCES);
        Instant registered = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < INSTANCES; i++) {
            int size = random.nextInt(memories.length);
            String family = random.nextInt(3) == 0 ? "c5" : "m5";
            List<ContainerInstance.Attribute> attributes = List.of(
                    new ContainerInstance.Attribute("ecs.availability-zone", zones[i % zones.length]),
                    new ContainerInstance.Attribute("ecs.instance-type", family + "." + (1 << size) + "xlarge"),
                    new ContainerInstance.Attribute("ecs.os-type", "linux"));
            List<TaskView> tasks = new ArrayList<>();
            if (random.nextInt(5) == 0) {
                for (int t = 0; t < 4; t++) {
                    String id = "i" + i + "-t" + t;
                    tasks.add(new TaskView(id, "service:web", "web", "web", TaskStatus.RUNNING,
                            new Allocation(512, memories[size] / 8, List.of(), List.of())));
                }
            }
            ContainerInstance instance = new ContainerInstance("bench", String.format("ci-%04d", i), "i-" + i,
                    "ACTIVE", null, "10.0.0." + (i % 250), 2048 << size, memories[size], List.of(22), List.of(),
                    attributes, "1.80.0", "27.0", false, registered.plusSeconds(random.nextInt(86_400)), 1,
                    0, 1);
            views.add(new InstanceView(instance, true, tasks));
        }
        return new ClusterSnapshot(views);
    }
}
