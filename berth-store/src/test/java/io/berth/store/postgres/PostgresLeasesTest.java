package io.berth.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.lease.Leases;
import io.berth.core.lease.Leases.Lease;
import io.berth.testkit.lease.LeasesContract;
import io.berth.testkit.postgres.PostgresCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresLeasesTest extends LeasesContract {

    private PostgresUrl url;

    @BeforeEach
    void database() {
        PostgresCluster cluster = PostgresCluster.shared();
        url = PostgresUrl.parse(cluster.storeUrl(cluster.createDatabase()));
    }

    @Override
    protected Leases newLeases() {
        return new PostgresLeases(url);
    }

    @Override
    protected boolean sharedBackend() {
        return true;
    }

    @Test
    void aLeaderWhoseSessionDiesLosesItsLeasesAndAnotherTakesThem() {
        PostgresLeases one = (PostgresLeases) open();
        Leases two = open();
        Lease lease = one.tryAcquire("service-scheduler").orElseThrow();
        int pid = one.sessionPid().orElseThrow();

        PostgresCluster.shared().execute("SELECT pg_terminate_backend(" + pid + ", 30000)");

        assertThat(lease.held()).isFalse();
        assertThat(two.tryAcquire("service-scheduler")).isPresent();
        assertThat(one.tryAcquire("service-scheduler")).isEmpty();
    }
}
