package io.berth.ecs.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.instance.ContainerInstance;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.ecs.EcsJson;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.testkit.store.InMemoryStateStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pipelined placements against a store that applies submissions only when told, in order. */
class PlacementLedgerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final InMemoryStateStore real = new InMemoryStateStore();
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private final StateStore store = pipelined(real, queued);
    private final PlacementLedger ledger = new PlacementLedger("c");

    @Test
    void theNextPlacementSeesTheLastOneBeforeItIsApplied() {
        ContainerInstances.Stored x = stored(instance(0), 1);
        real.commit(List.of(Mutation.create(ContainerInstances.KIND, "c/x", EcsJson.encode(x.instance()))), TIMEOUT);

        StateStore.Pending first = place(ledger.view(x), 1);
        ContainerInstances.Stored seen = ledger.view(x);
        assertThat(seen.instance().desiredVersion()).isEqualTo(1);
        assertThat(seen.storeVersion()).isEqualTo(2);
        StateStore.Pending second = place(seen, 2);

        applyAll();
        assertThat(first.await()).isNotEmpty();
        assertThat(second.await()).isNotEmpty();
        assertThat(ledger.view(stored(instance(2), 3)).storeVersion()).isEqualTo(3);
    }

    @Test
    void whenAnotherWriterGetsInFirstEveryLaterPlacementFailsAndTheLedgerStartsOver() {
        ContainerInstances.Stored x = stored(instance(0), 1);
        real.commit(List.of(Mutation.create(ContainerInstances.KIND, "c/x", EcsJson.encode(x.instance()))), TIMEOUT);
        // another writer (an agent report) changes x; its write is queued before ours
        store.submit(List.of(new Mutation.Put(ContainerInstances.KIND, "c/x", 1, EcsJson.encode(instance(0)))),
                TIMEOUT);

        StateStore.Pending first = place(ledger.view(x), 1);
        StateStore.Pending second = place(ledger.view(x), 2); // on top of first: x expected at version 2
        applyAll();

        assertThatThrownBy(first::await).isInstanceOf(ConflictException.class);
        // without the epoch, second would commit first's phantom allocation over the other write
        assertThatThrownBy(second::await).isInstanceOf(ConflictException.class);
        ledger.markDirty();
        ledger.settle();
        ContainerInstances.Stored fresh = ledger.view(stored(instance(0), 2));
        assertThat(fresh.instance().desiredVersion()).isZero();
        StateStore.Pending third = place(fresh, 1);
        applyAll();
        assertThat(third.await()).isNotEmpty();
    }

    private StateStore.Pending place(ContainerInstances.Stored on, int desiredVersion) {
        ContainerInstance next = instance(desiredVersion);
        StateStore.Pending pending = store.submit(List.of(new Mutation.Put(ContainerInstances.KIND, "c/x",
                on.storeVersion(), EcsJson.encode(next)), ledger.epochMutation(store)), TIMEOUT);
        ledger.submitted(List.of(new PlacementLedger.Placement(stored(next, on.storeVersion() + 1), List.of())),
                pending);
        return pending;
    }

    private void applyAll() {
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
    }

    private static ContainerInstances.Stored stored(ContainerInstance i, long version) {
        return new ContainerInstances.Stored(i, version);
    }

    /** Instance x as a placement leaves it: its desired version counts the placements. */
    private static ContainerInstance instance(int desiredVersion) {
        return new ContainerInstance("c", "x", "i-1", "ACTIVE", null, "127.0.0.1", 1024, 1024, List.of(), List.of(),
                List.of(), "1", "27.0", true, Instant.EPOCH, desiredVersion, 0, 1);
    }

    /** {@code real}, except that submit queues the commit until {@link #applyAll}. */
    private static StateStore pipelined(StateStore real, ArrayDeque<Runnable> queued) {
        return (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(),
                new Class<?>[] {StateStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("submit")) {
                        @SuppressWarnings("unchecked")
                        List<Mutation> mutations = (List<Mutation>) args[0];
                        Object[] outcome = new Object[1];
                        queued.add(() -> {
                            try {
                                outcome[0] = real.commit(mutations, TIMEOUT);
                            } catch (RuntimeException e) {
                                outcome[0] = e;
                            }
                        });
                        return (StateStore.Pending) () -> {
                            if (outcome[0] instanceof RuntimeException e) {
                                throw e;
                            }
                            @SuppressWarnings("unchecked")
                            List<Long> versions = (List<Long>) outcome[0];
                            return versions;
                        };
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
