package io.berth.store.sqlite;

import io.berth.core.store.Change;
import io.berth.core.store.Versioned;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The SQL side of {@link SqliteStateStore}: two connections to one WAL database file.
 *
 * <ul>
 *   <li>The <b>write connection</b> is used by the writer thread only (and by open before the writer
 *       starts). Each {@link #write} is one transaction, made durable by one WAL fsync
 *       ({@code synchronous=FULL}).</li>
 *   <li>The <b>read connection</b> serves change-feed reads older than the in-memory ring. WAL lets
 *       it read a consistent snapshot while the writer writes. Its methods synchronize on this
 *       object; the writer holds the same monitor while it prunes or wipes the feed, so a feed read
 *       and a retention change never interleave.</li>
 *   <li>The <b>checkpoint connection</b> is used by the {@link WalCheckpointer} thread only: it copies
 *       the WAL back into the database file off the writer's path (the write connection has
 *       automatic checkpoints turned off).</li>
 * </ul>
 */
final class SqliteDatabase implements AutoCloseable {

    /** How long a statement waits for a lock held by another connection before failing. */
    static final int BUSY_TIMEOUT_MILLIS = 2_000;
    /** Page cache of the write connection; the B-tree pages the upserts walk stay in memory. */
    private static final int WRITER_CACHE_KIB = 32 * 1024;

    record Counters(long lastSequence, long wipedThrough, long prunedThrough) {
    }

    /** The outcome of a passive checkpoint: frames in the WAL, and how many of them are in the database. */
    record WalState(long frames, long checkpointed) {
    }

    private final Connection writer;
    private final Connection reader;
    private final Connection checkpointer;
    private final PreparedStatement upsertEntity;
    private final PreparedStatement deleteEntity;
    private final PreparedStatement insertChange;
    private final PreparedStatement setCounter;
    private final PreparedStatement pruneChanges;

    private SqliteDatabase(Connection writer, Connection reader, Connection checkpointer) throws SQLException {
        this.writer = writer;
        this.reader = reader;
        this.checkpointer = checkpointer;
        this.upsertEntity = writer.prepareStatement("INSERT INTO entities (kind, key, version, value)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (kind, key)"
                + " DO UPDATE SET version = excluded.version, value = excluded.value");
        this.deleteEntity = writer.prepareStatement("DELETE FROM entities WHERE kind = ? AND key = ?");
        this.insertChange = writer.prepareStatement(
                "INSERT INTO changes (seq, kind, key, version, value) VALUES (?, ?, ?, ?, ?)");
        this.setCounter = writer.prepareStatement("UPDATE meta SET value = ? WHERE name = ?");
        this.pruneChanges = writer.prepareStatement("DELETE FROM changes WHERE seq <= ?");
    }

    /** Opens (creating if needed) the database in {@code file} and brings its schema up to date. */
    static SqliteDatabase open(Path file) throws SQLException {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        List<Connection> opened = new ArrayList<>();
        try {
            Connection writer = connect(url, opened);
            try (Statement st = writer.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = FULL");
                st.execute("PRAGMA wal_autocheckpoint = 0");
                st.execute("PRAGMA journal_size_limit = " + (64L << 20));
                st.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
            }
            SchemaMigrations.migrate(writer);
            writer.setAutoCommit(false);
            Connection reader = connect(url, opened);
            try (Statement st = reader.createStatement()) {
                st.execute("PRAGMA query_only = true");
            }
            return new SqliteDatabase(writer, reader, connect(url, opened));
        } catch (SQLException | RuntimeException e) {
            opened.reversed().forEach(c -> closeQuietly(c, e));
            throw e;
        }
    }

    private static Connection connect(String url, List<Connection> opened) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        opened.add(c);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        }
        return c;
    }

    // ---- reads: read connection ----

    synchronized Counters counters() throws SQLException {
        try (Statement st = reader.createStatement()) {
            return readCounters(st);
        }
    }

    private static Counters readCounters(Statement st) throws SQLException {
        long last = 0;
        long wiped = 0;
        long pruned = 0;
        try (ResultSet rs = st.executeQuery("SELECT name, value FROM meta")) {
            while (rs.next()) {
                switch (rs.getString(1)) {
                    case "last_sequence" -> last = rs.getLong(2);
                    case "wiped_through" -> wiped = rs.getLong(2);
                    case "pruned_through" -> pruned = rs.getLong(2);
                    default -> { }
                }
            }
        }
        return new Counters(last, wiped, pruned);
    }

    synchronized void loadEntities(Consumer<Versioned> sink) throws SQLException {
        try (Statement st = reader.createStatement();
                ResultSet rs = st.executeQuery("SELECT kind, key, version, value FROM entities")) {
            while (rs.next()) {
                sink.accept(new Versioned(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBytes(4)));
            }
        }
    }

    /** Changes with {@code after < seq <= through}, in order, at most {@code limit}. */
    synchronized List<Change> readChanges(long after, long through, int limit) throws SQLException {
        try (PreparedStatement ps = reader.prepareStatement("SELECT seq, kind, key, version, value"
                + " FROM changes WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, after);
            ps.setLong(2, through);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Change> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getBytes(5)));
                }
                return result;
            }
        }
    }

    // ---- writes: writer thread only ----

    /**
     * Writes a batch of changes (with consecutive sequences ending at {@code lastSequence}) in one
     * transaction and commits it. With {@code pruneThrough > 0} also drops the changes up to it.
     * On failure nothing is written.
     */
    void write(List<Change> changes, long lastSequence, long pruneThrough) throws SQLException {
        try {
            Map<String, Change> finalState = new LinkedHashMap<>();
            for (Change c : changes) {
                finalState.put(c.kind() + '\u0000' + c.key(), c);
            }
            boolean upserts = false;
            boolean deletes = false;
            for (Change c : finalState.values()) {
                if (c.deleted()) {
                    deleteEntity.setString(1, c.kind());
                    deleteEntity.setString(2, c.key());
                    deleteEntity.addBatch();
                    deletes = true;
                } else {
                    upsertEntity.setString(1, c.kind());
                    upsertEntity.setString(2, c.key());
                    upsertEntity.setLong(3, c.version());
                    upsertEntity.setBytes(4, c.value());
                    upsertEntity.addBatch();
                    upserts = true;
                }
            }
            if (upserts) {
                upsertEntity.executeBatch();
            }
            if (deletes) {
                deleteEntity.executeBatch();
            }
            for (Change c : changes) {
                insertChange.setLong(1, c.sequence());
                insertChange.setString(2, c.kind());
                insertChange.setString(3, c.key());
                insertChange.setLong(4, c.version());
                if (c.deleted()) {
                    insertChange.setNull(5, Types.BLOB);
                } else {
                    insertChange.setBytes(5, c.value());
                }
                insertChange.addBatch();
            }
            insertChange.executeBatch();
            setCounter("last_sequence", lastSequence);
            if (pruneThrough > 0) {
                pruneChanges.setLong(1, pruneThrough);
                pruneChanges.executeUpdate();
                setCounter("pruned_through", pruneThrough);
            }
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            abort(e);
            throw e;
        }
    }

    /** Deletes every entry and change; records that changes up to {@code lastSequence} are gone. */
    void wipe(long lastSequence) throws SQLException {
        try (Statement st = writer.createStatement()) {
            st.executeUpdate("DELETE FROM entities");
            st.executeUpdate("DELETE FROM changes");
            setCounter("wiped_through", lastSequence);
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            abort(e);
            throw e;
        }
    }

    /** The committed counters as the write connection sees them (to check after a failed write). */
    Counters committedCounters() throws SQLException {
        try (Statement st = writer.createStatement()) {
            Counters counters = readCounters(st);
            writer.commit();
            return counters;
        }
    }

    /**
     * Copies as much of the WAL into the database file as it can without waiting for anyone. From
     * the checkpointer thread this is the heavy copy; from the writer thread ({@code onWriter}) it
     * copies the few frames left, so the next write can start the WAL over from its beginning.
     */
    WalState checkpoint(boolean onWriter) throws SQLException {
        Connection c = onWriter ? writer : checkpointer;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            return rs.next() ? new WalState(rs.getLong(2), rs.getLong(3)) : new WalState(0, 0);
        }
    }

    private void setCounter(String name, long value) throws SQLException {
        setCounter.setLong(1, value);
        setCounter.setString(2, name);
        setCounter.executeUpdate();
    }

    private void abort(Exception failure) {
        for (PreparedStatement ps : List.of(upsertEntity, deleteEntity, insertChange)) {
            try {
                ps.clearBatch();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
        try {
            writer.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public synchronized void close() {
        SQLException failure = new SQLException("closing the state store database");
        closeQuietly(checkpointer, failure);
        closeQuietly(reader, failure);
        closeQuietly(writer, failure);
        if (failure.getSuppressed().length > 0) {
            throw new IllegalStateException(failure);
        }
    }

    private static void closeQuietly(Connection c, Exception failure) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
