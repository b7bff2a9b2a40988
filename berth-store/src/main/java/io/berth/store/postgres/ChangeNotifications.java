package io.berth.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the commits of other processes: a thread with a connection of its own (outside the pool:
 * a listening session must stay put) that {@code LISTEN}s on {@link PostgresDatabase#CHANNEL} and
 * calls {@code onNotify} whenever a notification arrives. After a lost connection it reconnects
 * and calls {@code onNotify} anyway, as notifications may have been missed meanwhile.
 *
 * <p>Notifications only wake readers; the feed itself is read from {@code berth_changes}, so a
 * lost or merged notification delays a subscriber (up to its idle poll) but never loses a change.
 */
final class ChangeNotifications implements AutoCloseable, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifications.class);
    private static final int POLL_MILLIS = 500;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PostgresUrl url;
    private final Runnable onNotify;
    private final Thread thread;
    private volatile boolean open = true;
    private volatile Connection connection;

    ChangeNotifications(PostgresUrl url, Runnable onNotify) {
        this.url = url;
        this.onNotify = onNotify;
        this.thread = Thread.ofPlatform().daemon().name("berth-store-pg-listen").unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        boolean warned = false;
        while (open) {
            try (Connection c = connect()) {
                connection = c;
                warned = false;
                onNotify.run();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (open) {
                    PGNotification[] got = pg.getNotifications(POLL_MILLIS);
                    if (got != null && got.length > 0) {
                        onNotify.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (open && !warned) {
                    LOG.warn("lost the change notifications from {} ({}); reconnecting", url, e.toString());
                    warned = true;
                }
                if (open) {
                    LockSupport.parkNanos(RETRY_NANOS);
                }
            } finally {
                connection = null;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("ApplicationName", "berth-listen");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "10");
        Connection c = DriverManager.getConnection(url.jdbcUrl(), props);
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + PostgresDatabase.CHANNEL);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public void close() {
        open = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = connection;
        if (thread.isAlive() && c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
