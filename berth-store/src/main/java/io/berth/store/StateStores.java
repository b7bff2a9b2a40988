package io.berth.store;

import io.berth.core.lease.Leases;
import io.berth.core.store.StateStore;
import io.berth.store.lease.LocalLeases;
import io.berth.store.postgres.PostgresLeases;
import io.berth.store.postgres.PostgresStateStore;
import io.berth.store.postgres.PostgresUrl;
import io.berth.store.sqlite.SqliteStateStore;
import java.nio.file.Path;

/**
 * Picks the {@link StateStore} adapter (and the matching {@link Leases}) from where the state is to
 * live: no location (the default) is SQLite in {@code <data dir>/store};
 * {@code postgresql://user:pass@host:port/db} (or {@code postgres://}, {@code jdbc:postgresql://})
 * is PostgreSQL.
 */
public final class StateStores {

    /** The SQLite store's directory inside the data directory. */
    public static final String SQLITE_DIRECTORY = "store";

    private StateStores() {
    }

    /** @throws IllegalArgumentException if {@code location} is neither empty nor a store this knows */
    public static void validate(String location) {
        if (location != null && !location.isBlank()) {
            PostgresUrl.parse(location.strip());
        }
    }

    /** Opens the store at {@code location}, or the embedded one in {@code dataDir} when it is empty. */
    public static StateStore open(String location, Path dataDir) {
        if (location == null || location.isBlank()) {
            return SqliteStateStore.open(dataDir.resolve(SQLITE_DIRECTORY));
        }
        return PostgresStateStore.open(PostgresUrl.parse(location.strip()));
    }

    /**
     * The leader election that goes with the store at {@code location}: advisory-lock leases shared
     * by every replica on the same PostgreSQL database, or the single process's own for SQLite.
     */
    public static Leases leases(String location) {
        if (location == null || location.isBlank()) {
            return new LocalLeases();
        }
        return new PostgresLeases(PostgresUrl.parse(location.strip()));
    }

    /** What {@code location} names, for a log line; never the password. */
    public static String describe(String location, Path dataDir) {
        if (location == null || location.isBlank()) {
            return "SQLite in " + dataDir.resolve(SQLITE_DIRECTORY);
        }
        return "PostgreSQL at " + PostgresUrl.parse(location.strip());
    }
}
