package io.berth.store.lease;

import io.berth.core.lease.Leases;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Leases} of a server that is the only one (the SQLite store: one process per data
 * directory): every name is free unless this object already handed it out, and a lease is held
 * until closed.
 */
public final class LocalLeases implements Leases {

    private final Map<String, LocalLease> held = new ConcurrentHashMap<>();

    @Override
    public Optional<Lease> tryAcquire(String name) {
        LocalLease lease = new LocalLease(name);
        return held.putIfAbsent(name, lease) == null ? Optional.of(lease) : Optional.empty();
    }

    @Override
    public void close() {
        List.copyOf(held.values()).forEach(LocalLease::close);
    }

    private final class LocalLease implements Lease {
        private final String name;
        private volatile boolean open = true;

        LocalLease(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean held() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                held.remove(name, this);
            }
        }
    }
}
