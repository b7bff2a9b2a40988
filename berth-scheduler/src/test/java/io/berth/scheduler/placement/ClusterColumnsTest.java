package io.berth.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.task.Allocation;
import io.berth.core.task.TaskStatus;
import io.berth.scheduler.snapshot.ClusterSnapshot;
import io.berth.scheduler.snapshot.InstanceBuilder;
import io.berth.scheduler.snapshot.InstanceView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Columns kept between placements and updated instance by instance place exactly as a snapshot
 * made afresh from the same instances does.
 */
class ClusterColumnsTest {
    private static final String[] ZONES = {"a", "b", "c"};
    private static final TaskDemand SMALL = new TaskDemand(100, 256, List.of(), List.of());

    private static final List<PlacementRequest> REQUESTS = List.of(
            PlacementRequest.forService(SMALL, 10, "web"),
            PlacementRequest.standalone(SMALL, 5, "family:job")
                    .withStrategies(PlacementStrategy.binpack(PlacementStrategy.Resource.MEMORY)),
            PlacementRequest.standalone(new TaskDemand(50, 64, List.of(8080), List.of()), 4, "family:job")
                    .withStrategies(PlacementStrategy.spread("attribute:zone"), PlacementStrategy.random()),
            PlacementRequest.forService(SMALL, 6, "web")
                    .withConstraints(PlacementConstraint.memberOf("attribute:size == large"),
                            PlacementConstraint.distinctInstance()),
            PlacementRequest.forService(SMALL, 3, "api")
                    .withConstraints(PlacementConstraint.memberOf("not(task:group == service:web)")));

    @Property(tries = 100)
    void keptColumnsPlaceAsAFreshSnapshot(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<InstanceView> views = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            views.add(instance(i, random).build());
        }
        ClusterColumns kept = ClusterColumns.of(new ClusterSnapshot(views));
        for (int round = 0; round < 30; round++) {
            for (PlacementRequest request : REQUESTS) {
                PlacementResult fresh = PlacementEngine.place(new ClusterSnapshot(views), request,
                        new SplittableRandom(round));
                assertThat(PlacementEngine.place(kept, request, new SplittableRandom(round)))
                        .as("round %d, %s", round, request).isEqualTo(fresh);
            }
            int changed = random.nextInt(views.size());
            InstanceView next = instance(changed, random).build();
            views.set(changed, next);
            kept.set(changed, next);
        }
    }

    @Test
    void anInstanceKeepsItsPlace() {
        ClusterColumns columns = ClusterColumns.of(ClusterSnapshot.of(InstanceBuilder.instance("x").build()));
        assertThatThrownBy(() -> columns.set(0, InstanceBuilder.instance("y").build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Instance {@code i} (its id and registration are fixed) in a random state. */
    private static InstanceBuilder instance(int i, SplittableRandom random) {
        InstanceBuilder b = InstanceBuilder.instance(String.format("i%02d", i))
                .registeredAt(java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i))
                .cpu(1024 + 512 * random.nextInt(3)).memory(2048 + 1024 * random.nextInt(3))
                .attribute("zone", ZONES[random.nextInt(ZONES.length)])
                .connected(random.nextInt(10) > 0)
                .status(random.nextInt(10) > 0 ? "ACTIVE" : "DRAINING");
        if (random.nextBoolean()) {
            b.attribute("size", random.nextBoolean() ? "large" : "small");
        }
        int tasks = random.nextInt(4);
        for (int t = 0; t < tasks; t++) {
            String group = random.nextBoolean() ? "service:web" : "family:job";
            List<Integer> ports = random.nextInt(4) == 0 ? List.of(8080) : List.of();
            b.task(group, random.nextBoolean() ? TaskStatus.RUNNING : TaskStatus.PENDING,
                    new Allocation(100, 256, ports, List.of(), group));
        }
        return b;
    }
}
