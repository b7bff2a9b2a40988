package io.berth.store.postgres;

import io.berth.core.lease.Leases;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link Leases} on PostgreSQL session-level advisory locks: a lease on {@code name} is
 * {@code pg_try_advisory_lock(k)} with {@code k} the first 8 bytes of SHA-256("berth-lease:" +
 * name), taken on a connection this object keeps for its leases alone. PostgreSQL releases the
 * locks when that session ends, so a replica that dies (or whose connection drops) loses its
 * leases without anyone waiting for a timeout; {@link Lease#held()} checks the session is alive.
 *
 * <p>Once the session is lost, every lease of this object is lost for good ({@code held()} false);
 * the next {@link #tryAcquire} opens a new session. Thread-safe: methods synchronize on this object
 * (the session is one connection).
 */
public final class PostgresLeases implements Leases {

    private static final int VALID_SECONDS = 5;

    private final PostgresUrl url;
    private final Map<String, PgLease> held = new HashMap<>();
    private Connection session;
    private boolean closed;

    public PostgresLeases(PostgresUrl url) {
        this.url = url;
    }

    @Override
    public synchronized Optional<Lease> tryAcquire(String name) {
        if (closed) {
            throw new IllegalStateException("leases closed");
        }
        if (held.containsKey(name)) {
            return Optional.empty();
        }
        try {
            Connection c = session();
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key(name));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return Optional.empty();
                    }
                }
            }
            PgLease lease = new PgLease(name, c);
            held.put(name, lease);
            return Optional.of(lease);
        } catch (SQLException e) {
            loseSession();
            return Optional.empty();
        }
    }

    private Connection session() throws SQLException {
        if (session == null) {
            Properties props = new Properties();
            if (url.user() != null) {
                props.setProperty("user", url.user());
            }
            if (url.password() != null) {
                props.setProperty("password", url.password());
            }
            props.setProperty("ApplicationName", "berth-leases");
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("connectTimeout", "10");
            session = DriverManager.getConnection(url.jdbcUrl(), props);
        }
        return session;
    }

    private synchronized boolean held(PgLease lease) {
        if (held.get(lease.name) != lease || session != lease.session) {
            return false;
        }
        try {
            if (session.isValid(VALID_SECONDS)) {
                return true;
            }
        } catch (SQLException e) {
            // lost
        }
        loseSession();
        return false;
    }

    private synchronized void release(PgLease lease) {
        if (held.get(lease.name) != lease) {
            return;
        }
        held.remove(lease.name);
        if (session == lease.session) {
            try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key(lease.name));
                ps.executeQuery().close();
            } catch (SQLException e) {
                loseSession();
            }
        }
    }

    /** The session is gone or unusable: so are its locks. */
    private void loseSession() {
        held.clear();
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                // gone anyway
            }
            session = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        loseSession(); // ending the session releases every lock it holds
    }

    static long key(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("berth-lease:" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class PgLease implements Lease {
        private final String name;
        private final Connection session;

        PgLease(String name, Connection session) {
            this.name = name;
            this.session = session;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean held() {
            return PostgresLeases.this.held(this);
        }

        @Override
        public void close() {
            release(this);
        }
    }

    /** For tests: the backend pid of the leases' session, if open. */
    synchronized Optional<Integer> sessionPid() {
        if (session == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_backend_pid()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Optional.of(rs.getInt(1));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
