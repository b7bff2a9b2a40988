package io.berth.ecs.taskdef;

import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import java.util.Optional;

/**
 * One family's registrations in this process, pipelined: each takes its turn (this object's monitor)
 * only to read, compute the next revision and submit; it becomes durable while the next is
 * computed on top of it. The family record is the chain: each registration updates it from the
 * version the one before leaves, so if one fails, the later ones fail too, and are retried from a
 * fresh read. Other writers of the family in this process (deregister, delete, sweep) flush the turn
 * first, so they never interleave with registrations in flight.
 */
final class FamilyTurn {
    private TaskDefinitionFamily family;
    private long version;
    private StateStore.Pending last;
    private volatile boolean dirty;

    /** The family and its version as the next registration must see them (call under the turn). */
    Known known(Optional<Versioned> read) {
        if (dirty) {
            flush();
        }
        long stored = read.map(Versioned::version).orElse(0L);
        if (family != null && version > stored) {
            return new Known(family, version);
        }
        family = null;
        return new Known(read.map(v -> TaskDefinitionFamily.decode(v.value())).orElse(null), stored);
    }

    /** A family state and the version it has (0: absent). */
    record Known(TaskDefinitionFamily family, long version) {
    }

    /** Records a submitted registration (under the turn). */
    void submitted(TaskDefinitionFamily next, long nextVersion, StateStore.Pending pending) {
        family = next;
        version = nextVersion;
        last = pending;
    }

    /** A registration of this family failed or its outcome is unknown. */
    void markDirty() {
        dirty = true;
    }

    /** Waits for what is in flight and forgets it (under the turn). */
    void flush() {
        if (last != null) {
            try {
                last.await();
            } catch (RuntimeException ignored) {
                // failed or unknown: the store is read afresh either way
            }
        }
        family = null;
        version = 0;
        last = null;
        dirty = false;
    }
}
