package io.berth.ecs.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.arn.Account;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.store.Mutation;
import io.berth.core.task.Allocation;
import io.berth.ecs.EcsJson;
import io.berth.ecs.cluster.Cluster;
import io.berth.ecs.cluster.Clusters;
import io.berth.ecs.instance.AgentPresence;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.scheduler.placement.ClusterColumns;
import io.berth.testkit.store.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A cluster's instances kept between placements follow the store, and this process's own placements. */
class ClusterViewTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final AgentPresence presence = new AgentPresence(InstantSource.fixed(NOW), Duration.ofSeconds(30));
    private final Clusters clusters = new Clusters(store, new Account("123456789012", "us-east-1"),
            name -> io.berth.ecs.cluster.ClusterUsage.Counts.NONE);
    private final ContainerInstances instances = new ContainerInstances(store,
            new Account("123456789012", "us-east-1"), clusters, presence);
    private final ClusterView view = new ClusterView("c");
    private final UnaryOperator<ContainerInstances.Stored> asStored = s -> s;

    @BeforeEach
    void cluster() {
        clusters.create(new Cluster("c", Cluster.Status.ACTIVE, List.of(), null, List.of(), null, null, NOW), List.of());
    }

    @Test
    void followsTheStoreThroughItsChangeFeed() {
        write(instance("b", 2, "ACTIVE", 0));
        write(instance("a", 1, "ACTIVE", 0));
        presence.seen("c/a");
        assertThat(ids()).containsExactly("a", "b"); // registration order, not key order

        write(instance("c", 3, "ACTIVE", 0));
        write(instance("a", 1, "ACTIVE", 2)); // an agent's or another writer's change
        assertThat(ids()).containsExactly("a", "b", "c");
        ClusterColumns columns = view.columns(presence, NOW);
        assertThat(columns.memoryLeft(0)).isEqualTo(1024 - 2 * 100);
        assertThat(columns.view(0).agentConnected()).isTrue();
        assertThat(columns.view(1).agentConnected()).isFalse();

        write(instance("b", 2, "INACTIVE", 0)); // deregistered
        assertThat(ids()).containsExactly("a", "c");
    }

    @Test
    void seesItsOwnPlacementsBeforeTheStoreHasThem() {
        write(instance("a", 1, "ACTIVE", 0));
        assertThat(ids()).containsExactly("a");
        ContainerInstances.Stored before = view.stored("a");
        view.placed(new ContainerInstances.Stored(instance("a", 1, "ACTIVE", 3), before.storeVersion() + 1));
        assertThat(view.columns(presence, NOW).memoryLeft(0)).isEqualTo(1024 - 3 * 100);
    }

    @Test
    void readsEverythingAgainAfterAReset() {
        write(instance("a", 1, "ACTIVE", 0));
        assertThat(ids()).containsExactly("a");
        view.reset();
        write(instance("b", 2, "ACTIVE", 0));
        assertThat(ids()).containsExactly("a", "b");
    }

    private List<String> ids() {
        view.refresh(store, instances, asStored);
        ClusterColumns columns = view.columns(presence, NOW);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ids.add(columns.view(i).id());
        }
        return ids;
    }

    private void write(ContainerInstance i) {
        long version = store.get(ContainerInstances.KIND, i.key()).map(v -> v.version()).orElse(Mutation.ABSENT);
        store.commit(List.of(new Mutation.Put(ContainerInstances.KIND, i.key(), version, EcsJson.encode(i))), TIMEOUT);
    }

    private static ContainerInstance instance(String id, int registeredSecond, String status, int tasks) {
        Map<String, Allocation> allocations = new java.util.LinkedHashMap<>();
        for (int t = 0; t < tasks; t++) {
            allocations.put(id + "-t" + t, new Allocation(10, 100, List.of(), List.of(), "family:x"));
        }
        return new ContainerInstance("c", id, "i-" + id, status, null, "127.0.0.1", 1024, 1024, List.of(), List.of(),
                List.of(), "1", "27.0", true, NOW.plusSeconds(registeredSecond), 1, allocations, 0, 1);
    }
}
