package io.berth.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.berth.core.store.Change;
import io.berth.core.store.Versioned;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.flywaydb.core.Flyway;

/**
 * The SQL side of {@link PostgresStateStore}: a HikariCP pool, the schema (Flyway, scripts in
 * {@code io/berth/store/postgres/migration}), the reads, and the one write transaction shape.
 *
 * <p>Every write transaction starts by locking the single {@code berth_feed} row. Whoever holds it
 * is the only writer in the database (across all server processes): it reads the committed versions
 * of the keys it touches (READ COMMITTED: each statement sees everything committed before it, so
 * after the lock it sees the previous writer's commit), numbers its changes after
 * {@code last_sequence}, writes, notifies {@value #CHANNEL}, and commits. Sequences therefore commit
 * in order, and a reader (one statement, one snapshot) sees a gap-free prefix of the feed.
 *
 * <p>Connections are set to {@code synchronous_commit = on}: a commit returns only once its WAL is
 * flushed, whatever the server's default. Thread-safe (the pool is).
 */
final class PostgresDatabase implements AutoCloseable {

    /** The LISTEN/NOTIFY channel a commit notifies, with its last sequence as payload. */
    static final String CHANNEL = "berth_changes";
    static final String MIGRATIONS = "classpath:io/berth/store/postgres/migration";
    static final String HISTORY_TABLE = "berth_schema_history";

    /** The feed's counters and a run of changes, read in one snapshot. */
    record FeedRead(long lastSequence, long wipedThrough, long prunedThrough, List<Change> changes) {
    }

    private final PostgresUrl url;
    private final HikariDataSource pool;

    private PostgresDatabase(PostgresUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
    }

    /** Connects, and brings the schema up to date (Flyway takes its own lock: replicas may race). */
    static PostgresDatabase open(PostgresUrl url, int poolSize, Duration connectTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setPoolName("berth-store");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(connectTimeout.toMillis());
        config.setInitializationFailTimeout(connectTimeout.toMillis());
        config.setConnectionInitSql("SET synchronous_commit = on; SET lock_timeout = '20s'");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "berth");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure(PostgresDatabase.class.getClassLoader()).dataSource(pool).locations(MIGRATIONS)
                    .table(HISTORY_TABLE).load().migrate();
            return new PostgresDatabase(url, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    PostgresUrl url() {
        return url;
    }

    // ---- reads ----

    Versioned get(String kind, String key) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT version, value FROM berth_entities WHERE kind = ? AND key = ?")) {
            ps.setString(1, kind);
            ps.setBytes(2, KeyCodec.encode(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Versioned(kind, key, rs.getLong(1), rs.getBytes(2)) : null;
            }
        }
    }

    List<Versioned> scan(String kind, String prefix, String afterKey, int limit) throws SQLException {
        byte[] from = KeyCodec.encode(prefix);
        byte[] end = KeyCodec.prefixEnd(from);
        StringBuilder sql = new StringBuilder("SELECT key, version, value FROM berth_entities"
                + " WHERE kind = ? AND key >= ?");
        if (end != null) {
            sql.append(" AND key < ?");
        }
        if (afterKey != null) {
            sql.append(" AND key > ?");
        }
        sql.append(" ORDER BY key LIMIT ?");
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, kind);
            ps.setBytes(i++, from);
            if (end != null) {
                ps.setBytes(i++, end);
            }
            if (afterKey != null) {
                ps.setBytes(i++, KeyCodec.encode(afterKey));
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Versioned> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new Versioned(kind, KeyCodec.decode(rs.getBytes(1)), rs.getLong(2), rs.getBytes(3)));
                }
                return result;
            }
        }
    }

    int count(String kind, String prefix) throws SQLException {
        byte[] from = KeyCodec.encode(prefix);
        byte[] end = KeyCodec.prefixEnd(from);
        String sql = "SELECT count(*) FROM berth_entities WHERE kind = ? AND key >= ?"
                + (end != null ? " AND key < ?" : "");
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, kind);
            ps.setBytes(2, from);
            if (end != null) {
                ps.setBytes(3, end);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    long lastSequence() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT last_sequence FROM berth_feed")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The counters and the changes after {@code after} (at most {@code limit}), as of one snapshot. */
    FeedRead readChanges(long after, int limit) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT f.last_sequence, f.wiped_through, f.pruned_through,"
                        + " c.seq, c.kind, c.key, c.version, c.value FROM berth_feed f LEFT JOIN LATERAL"
                        + " (SELECT * FROM berth_changes WHERE seq > ? ORDER BY seq LIMIT ?) c ON true"
                        + " ORDER BY c.seq")) {
            ps.setLong(1, after);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                long last = 0;
                long wiped = 0;
                long pruned = 0;
                List<Change> changes = new ArrayList<>();
                while (rs.next()) {
                    last = rs.getLong(1);
                    wiped = rs.getLong(2);
                    pruned = rs.getLong(3);
                    long seq = rs.getLong(4);
                    if (!rs.wasNull()) {
                        changes.add(new Change(seq, rs.getString(5), KeyCodec.decode(rs.getBytes(6)), rs.getLong(7),
                                rs.getBytes(8)));
                    }
                }
                return new FeedRead(last, wiped, pruned, changes);
            }
        }
    }

    // ---- writes ----

    /**
     * One write transaction: locks the feed, reads the committed versions of {@code refs}, lets
     * {@code stage} decide (given them and the last sequence), writes what it staged, and commits.
     * Changes older than {@code retainedChanges} (with some slack) are pruned on the way.
     */
    BatchStaging.Staged write(Set<BatchStaging.Ref> refs, long retainedChanges,
            BiFunction<Map<BatchStaging.Ref, Long>, Long, BatchStaging.Staged> stage) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                long last;
                long pruned;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT last_sequence, pruned_through FROM berth_feed FOR UPDATE")) {
                    rs.next();
                    last = rs.getLong(1);
                    pruned = rs.getLong(2);
                }
                BatchStaging.Staged staged = stage.apply(committedVersions(c, refs), last);
                if (!staged.changes().isEmpty()) {
                    long newLast = staged.lastSequence(last);
                    writeEntities(c, staged.changes());
                    insertChanges(c, staged.changes());
                    long slack = Math.max(1, retainedChanges / 10);
                    long pruneThrough = newLast - pruned > retainedChanges + slack ? newLast - retainedChanges : 0;
                    try (PreparedStatement ps = c.prepareStatement(pruneThrough > 0
                            ? "UPDATE berth_feed SET last_sequence = ?, pruned_through = ?"
                            : "UPDATE berth_feed SET last_sequence = ?")) {
                        ps.setLong(1, newLast);
                        if (pruneThrough > 0) {
                            ps.setLong(2, pruneThrough);
                        }
                        ps.executeUpdate();
                    }
                    if (pruneThrough > 0) {
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM berth_changes WHERE seq <= ?")) {
                            ps.setLong(1, pruneThrough);
                            ps.executeUpdate();
                        }
                    }
                    notify(c, newLast);
                }
                c.commit();
                return staged;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    /** Deletes every entry and change; records that changes up to the last sequence are gone. */
    void wipe() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                long last;
                try (ResultSet rs = st.executeQuery("SELECT last_sequence FROM berth_feed FOR UPDATE")) {
                    rs.next();
                    last = rs.getLong(1);
                }
                st.executeUpdate("DELETE FROM berth_entities");
                st.executeUpdate("DELETE FROM berth_changes");
                st.executeUpdate("UPDATE berth_feed SET wiped_through = last_sequence");
                notify(c, last);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    private static Map<BatchStaging.Ref, Long> committedVersions(Connection c, Set<BatchStaging.Ref> refs)
            throws SQLException {
        String[] kinds = new String[refs.size()];
        byte[][] keys = new byte[refs.size()][];
        int i = 0;
        for (BatchStaging.Ref ref : refs) {
            kinds[i] = ref.kind();
            keys[i] = KeyCodec.encode(ref.key());
            i++;
        }
        Map<BatchStaging.Ref, Long> versions = new HashMap<>();
        Array kindArray = c.createArrayOf("text", kinds);
        Array keyArray = c.createArrayOf("bytea", keys);
        try (PreparedStatement ps = c.prepareStatement("SELECT e.kind, e.key, e.version FROM berth_entities e"
                + " JOIN unnest(?::text[], ?::bytea[]) AS r(kind, key) ON e.kind = r.kind AND e.key = r.key")) {
            ps.setArray(1, kindArray);
            ps.setArray(2, keyArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.put(new BatchStaging.Ref(rs.getString(1), KeyCodec.decode(rs.getBytes(2))), rs.getLong(3));
                }
            }
        } finally {
            kindArray.free();
            keyArray.free();
        }
        return versions;
    }

    /** Writes the final state of each key the changes touch. */
    private static void writeEntities(Connection c, List<Change> changes) throws SQLException {
        Map<BatchStaging.Ref, Change> finalState = new LinkedHashMap<>();
        for (Change ch : changes) {
            finalState.put(new BatchStaging.Ref(ch.kind(), ch.key()), ch);
        }
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO berth_entities (kind, key, version, value)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (kind, key)"
                        + " DO UPDATE SET version = excluded.version, value = excluded.value");
                PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM berth_entities WHERE kind = ? AND key = ?")) {
            boolean upserts = false;
            boolean deletes = false;
            for (Change ch : finalState.values()) {
                if (ch.deleted()) {
                    delete.setString(1, ch.kind());
                    delete.setBytes(2, KeyCodec.encode(ch.key()));
                    delete.addBatch();
                    deletes = true;
                } else {
                    upsert.setString(1, ch.kind());
                    upsert.setBytes(2, KeyCodec.encode(ch.key()));
                    upsert.setLong(3, ch.version());
                    upsert.setBytes(4, ch.value());
                    upsert.addBatch();
                    upserts = true;
                }
            }
            if (upserts) {
                upsert.executeBatch();
            }
            if (deletes) {
                delete.executeBatch();
            }
        }
    }

    private static void insertChanges(Connection c, List<Change> changes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO berth_changes (seq, kind, key, version, value) VALUES (?, ?, ?, ?, ?)")) {
            for (Change ch : changes) {
                ps.setLong(1, ch.sequence());
                ps.setString(2, ch.kind());
                ps.setBytes(3, KeyCodec.encode(ch.key()));
                ps.setLong(4, ch.version());
                if (ch.deleted()) {
                    ps.setNull(5, Types.BINARY);
                } else {
                    ps.setBytes(5, ch.value());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void notify(Connection c, long lastSequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, Long.toString(lastSequence));
            ps.executeQuery().close();
        }
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
