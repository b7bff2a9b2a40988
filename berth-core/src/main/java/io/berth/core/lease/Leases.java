package io.berth.core.lease;

import java.util.Optional;

/**
 * Leader election among server replicas: a replica runs a controller (the service scheduler,
 * housekeeping...) only while it holds that controller's lease, so exactly one replica acts on
 * each. Any replica serves the API.
 *
 * <p>Contract (held by {@code LeasesContract} for every adapter):
 * <ul>
 *   <li>At most one {@link Lease} per name is held at a time among all the {@code Leases} that share
 *       a backend (one database; one process for the local adapter).</li>
 *   <li>A lease is lost when its holder dies or loses its backend; {@link Lease#held()} then turns
 *       false and stays false. A controller checks it before each round of work, and stops acting
 *       once it is false.</li>
 *   <li>Thread-safe.</li>
 * </ul>
 */
public interface Leases extends AutoCloseable {

    /** Takes the lease on {@code name} if nobody holds it; empty if someone does (or the backend is down). */
    Optional<Lease> tryAcquire(String name);

    /** Releases every lease this object holds. */
    @Override
    void close();

    /** One held lease. Closing it releases it. */
    interface Lease extends AutoCloseable {
        String name();

        /** Whether this is still the leader; checks the backend, so call it per round of work, not per item. */
        boolean held();

        @Override
        void close();
    }
}
