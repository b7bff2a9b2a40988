package io.berth.store.lease;

import io.berth.core.lease.Leases;
import io.berth.testkit.lease.LeasesContract;

class LocalLeasesTest extends LeasesContract {

    @Override
    protected Leases newLeases() {
        return new LocalLeases();
    }

    @Override
    protected boolean sharedBackend() {
        return false;
    }
}
