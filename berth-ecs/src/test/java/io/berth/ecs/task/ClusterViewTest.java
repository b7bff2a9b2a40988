package io.berth.ecs.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.arn.Account;
import io.berth.core.instance.ContainerInstance;
import io.berth.core.store.Mutation;
import io.berth.core.task.Allocation;
import io.berth.core.task.DesiredStatus;
import io.berth.core.task.Task;
import io.berth.core.task.TaskStatus;
import io.berth.ecs.EcsJson;
import io.berth.ecs.cluster.Cluster;
import io.berth.ecs.cluster.Clusters;
import io.berth.ecs.instance.AgentPresence;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.scheduler.placement.ClusterColumns;
import io.berth.scheduler.snapshot.TaskView;
import io.berth.testkit.store.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster's instances kept between placements follow the store (instance records and their live
 * tasks), and this process's own placements until the store has them.
 */
class ClusterViewTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final AgentPresence presence = new AgentPresence(InstantSource.fixed(NOW), Duration.ofSeconds(30));
    private final Clusters clusters = new Clusters(store, new Account("123456789012", "us-east-1"),
            name -> io.berth.ecs.cluster.ClusterUsage.Counts.NONE);
    private final ContainerInstances instances = new ContainerInstances(store,
            new Account("123456789012", "us-east-1"), clusters, presence);
    private final LiveTasks live = new LiveTasks(store);
    private final ClusterView view = new ClusterView("c");
    private final UnaryOperator<ContainerInstances.Stored> asStored = s -> s;
    private int tasks;

    @BeforeEach
    void cluster() {
        clusters.create(new Cluster("c", Cluster.Status.ACTIVE, List.of(), null, List.of(), null, null, NOW), List.of());
    }

    @Test
    void followsTheStoreThroughItsChangeFeed() {
        write(instance("b", 2, "ACTIVE"));
        write(instance("a", 1, "ACTIVE"));
        presence.seen("c/a");
        assertThat(ids()).containsExactly("a", "b"); // registration order, not key order

        write(instance("c", 3, "ACTIVE"));
        Task first = write(task("a", TaskStatus.PENDING));
        write(task("a", TaskStatus.RUNNING));
        assertThat(ids()).containsExactly("a", "b", "c");
        ClusterColumns columns = view.columns(presence, NOW, live);
        assertThat(columns.memoryLeft(0)).isEqualTo(1024 - 2 * 100);
        assertThat(columns.view(0).load().runningTasks()).isEqualTo(1);
        assertThat(columns.view(0).agentConnected()).isTrue();
        assertThat(columns.view(1).agentConnected()).isFalse();

        write(first.toBuilder().lastStatus(TaskStatus.STOPPED).desiredStatus(DesiredStatus.STOPPED).build());
        assertThat(ids()).containsExactly("a", "b", "c");
        assertThat(view.columns(presence, NOW, live).memoryLeft(0)).as("a stopped task frees what it held")
                .isEqualTo(1024 - 100);

        write(instance("b", 2, "INACTIVE")); // deregistered
        assertThat(ids()).containsExactly("a", "c");
    }

    @Test
    void liveTasksKeepEachInstancesLoadAsSummingItsTasksWouldGiveIt() {
        ContainerInstance a = instance("a", 1, "ACTIVE");
        write(a);
        java.util.Random random = new java.util.Random(7);
        List<Task> known = new ArrayList<>();
        TaskStatus[] statuses = {TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.STOPPED};
        for (int step = 0; step < 300; step++) {
            if (known.isEmpty() || random.nextInt(3) == 0) {
                String group = "g" + random.nextInt(3);
                Task t = task("a", TaskStatus.PENDING, group, new Allocation(random.nextInt(64), random.nextInt(256),
                        List.of(8000 + random.nextInt(4)), List.of(), group));
                known.add(write(t));
            } else {
                int i = random.nextInt(known.size());
                Task t = known.get(i);
                if (t.stopped()) {
                    continue;
                }
                Task next = t.toBuilder().lastStatus(statuses[random.nextInt(3)]).build();
                known.set(i, write(next));
            }
            live.sync();
            assertThat(live.loadAsSynced(a)).as("step %d", step).isEqualTo(
                    io.berth.scheduler.snapshot.InstanceLoad.of(a, live.on(a.key())));
        }
    }

    @Test
    void liveTasksCountRunningAndPendingPerClusterAsTheyChange() {
        write(instance("a", 1, "ACTIVE"));
        Task first = write(task("a", TaskStatus.PENDING));
        write(task("a", TaskStatus.PENDING));
        assertThat(live.counts("c")).containsExactly(0, 2);
        write(first.toBuilder().lastStatus(TaskStatus.RUNNING).build());
        assertThat(live.counts("c")).containsExactly(1, 1);
        write(first.toBuilder().lastStatus(TaskStatus.STOPPED).desiredStatus(DesiredStatus.STOPPED).build());
        assertThat(live.counts("c")).containsExactly(0, 1);
        assertThat(live.counts("other")).containsExactly(0, 0);
        live.reset(); // read again from the store: the same counts
        assertThat(live.counts("c")).containsExactly(0, 1);
    }

    @Test
    void countsItsOwnPlacementsOnceBeforeAndAfterTheStoreHasThem() {
        write(instance("a", 1, "ACTIVE"));
        assertThat(ids()).containsExactly("a");
        ContainerInstances.Stored before = view.stored("a");
        List<Task> placed = List.of(task("a", TaskStatus.PENDING), task("a", TaskStatus.PENDING));
        view.placed(new ContainerInstances.Stored(before.instance().withDesiredChange(), before.storeVersion() + 1),
                placed.stream().map(TaskView::of).toList());
        assertThat(view.columns(presence, NOW, live).memoryLeft(0)).isEqualTo(1024 - 2 * 100);

        placed.forEach(this::write); // the placement applies
        write(before.instance().withDesiredChange());
        assertThat(ids()).containsExactly("a");
        assertThat(view.columns(presence, NOW, live).memoryLeft(0)).isEqualTo(1024 - 2 * 100);

        write(placed.get(0).toBuilder().lastStatus(TaskStatus.STOPPED).build());
        assertThat(ids()).containsExactly("a");
        assertThat(view.columns(presence, NOW, live).memoryLeft(0)).isEqualTo(1024 - 100);
    }

    @Test
    void aPlacementThatAppliesWhileAnotherThreadSyncsTheLiveTasksCountsOnce() throws Exception {
        write(instance("a", 1, "ACTIVE"));
        assertThat(ids()).containsExactly("a");
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread syncer = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                live.sync(); // as the agent channel and DescribeClusters do, between a placement's reads
            }
        });
        try {
            for (int round = 0; round < 3_000; round++) {
                ContainerInstances.Stored before = view.stored("a");
                Task t = task("a", TaskStatus.PENDING, "family:x", new Allocation(0, 1, List.of(), List.of(), "family:x"));
                view.placed(new ContainerInstances.Stored(before.instance(), before.storeVersion()), List.of(TaskView.of(t)));
                write(t); // applies: another thread may move it into the live tasks at any moment from here
                assertThat(view.columns(presence, NOW, live).memoryLeft(0)).as("round %d", round).isEqualTo(1023);
                write(t.toBuilder().lastStatus(TaskStatus.STOPPED).desiredStatus(DesiredStatus.STOPPED).build());
                view.refresh(store, instances, live, asStored);
                assertThat(view.columns(presence, NOW, live).memoryLeft(0)).as("round %d", round).isEqualTo(1024);
            }
        } finally {
            done.set(true);
            syncer.join();
        }
    }

    @Test
    void readsEverythingAgainAfterAReset() {
        write(instance("a", 1, "ACTIVE"));
        assertThat(ids()).containsExactly("a");
        view.reset();
        write(instance("b", 2, "ACTIVE"));
        assertThat(ids()).containsExactly("a", "b");
    }

    private List<String> ids() {
        view.refresh(store, instances, live, asStored);
        ClusterColumns columns = view.columns(presence, NOW, live);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ids.add(columns.view(i).id());
        }
        return ids;
    }

    private void write(ContainerInstance i) {
        put(ContainerInstances.KIND, i.key(), EcsJson.encode(i));
    }

    private Task write(Task t) {
        put(Tasks.KIND, t.key(), EcsJson.encode(t));
        return t;
    }

    private void put(String kind, String key, byte[] value) {
        long version = store.get(kind, key).map(v -> v.version()).orElse(Mutation.ABSENT);
        store.commit(List.of(new Mutation.Put(kind, key, version, value)), TIMEOUT);
    }

    private Task task(String instanceId, TaskStatus status) {
        return task(instanceId, status, "family:x", new Allocation(10, 100, List.of(), List.of(), "family:x"));
    }

    private Task task(String instanceId, TaskStatus status, String group, Allocation allocation) {
        return new Task("c", "t" + (++tasks), "arn:td", "x", 1, instanceId, status, DesiredStatus.RUNNING, "EC2",
                group, null, "{}", 10, 100, allocation, List.of(),
                "UNKNOWN", NOW, null, null, null, null, null, null, null, null, null, 1);
    }

    private static ContainerInstance instance(String id, int registeredSecond, String status) {
        return new ContainerInstance("c", id, "i-" + id, status, null, "127.0.0.1", 1024, 1024, List.of(), List.of(),
                List.of(), "1", "27.0", true, NOW.plusSeconds(registeredSecond), 1, 0, 1);
    }
}
