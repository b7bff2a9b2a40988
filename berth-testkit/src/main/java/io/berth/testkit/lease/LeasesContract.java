package io.berth.testkit.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.core.lease.Leases;
import io.berth.core.lease.Leases.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Leases} adapter must show. An adapter's test says how to make a
 * {@code Leases} on a fresh backend and whether several of them share it (replicas on one database
 * do; the local adapter is one process by definition).
 */
public abstract class LeasesContract {

    private final List<Leases> opened = new ArrayList<>();

    /** A {@code Leases} on this test's backend; every call of one test shares the same backend. */
    protected abstract Leases newLeases();

    /** Whether two objects from {@link #newLeases()} exclude each other (replicas sharing a backend). */
    protected abstract boolean sharedBackend();

    protected final Leases open() {
        Leases leases = newLeases();
        opened.add(leases);
        return leases;
    }

    @AfterEach
    final void closeLeases() {
        opened.forEach(Leases::close);
    }

    @Test
    void aFreeNameIsGrantedAndThenRefusedUntilReleased() {
        Leases leases = open();

        Optional<Lease> first = leases.tryAcquire("service-scheduler");
        assertThat(first).hasValueSatisfying(l -> {
            assertThat(l.name()).isEqualTo("service-scheduler");
            assertThat(l.held()).isTrue();
        });
        assertThat(leases.tryAcquire("service-scheduler")).isEmpty();

        first.orElseThrow().close();
        assertThat(first.orElseThrow().held()).isFalse();
        assertThat(leases.tryAcquire("service-scheduler")).isPresent();
    }

    @Test
    void namesAreIndependent() {
        Leases leases = open();

        assertThat(leases.tryAcquire("a")).isPresent();
        assertThat(leases.tryAcquire("b")).isPresent();
    }

    @Test
    void closingTheLeasesLosesEveryLease() {
        Leases leases = open();
        Lease a = leases.tryAcquire("a").orElseThrow();
        Lease b = leases.tryAcquire("b").orElseThrow();

        leases.close();

        assertThat(a.held()).isFalse();
        assertThat(b.held()).isFalse();
        assertThat(open().tryAcquire("a")).isPresent();
    }

    @Test
    void aReplicaCannotTakeALeaseAnotherHoldsUntilItIsReleased() {
        assumeTrue(sharedBackend(), "one process only");
        Leases one = open();
        Leases two = open();
        Lease held = one.tryAcquire("housekeeping").orElseThrow();

        assertThat(two.tryAcquire("housekeeping")).isEmpty();
        assertThat(held.held()).isTrue();

        held.close();
        Optional<Lease> taken = two.tryAcquire("housekeeping");
        assertThat(taken).hasValueSatisfying(l -> assertThat(l.held()).isTrue());
        assertThat(one.tryAcquire("housekeeping")).isEmpty();
    }

    @Test
    void aClosedReplicasLeasesGoToAnother() {
        assumeTrue(sharedBackend(), "one process only");
        Leases one = open();
        Leases two = open();
        one.tryAcquire("a").orElseThrow();

        one.close();

        assertThat(two.tryAcquire("a")).isPresent();
    }
}
