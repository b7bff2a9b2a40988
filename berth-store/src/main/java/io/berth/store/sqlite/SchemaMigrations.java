package io.berth.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database up to the newest schema by running the numbered SQL scripts it has not run yet,
 * each in its own transaction together with its row in {@code schema_version}.
 *
 * <p>Scripts live on the classpath next to this class as {@code V<n>__<description>.sql} and are
 * listed in {@link #SCRIPTS} (a jar cannot be listed reliably). A script is never edited once
 * released; a change is a new script. Statements are separated by a {@code ;} at the end of a line;
 * lines starting with {@code --} are comments.
 */
final class SchemaMigrations {

    static final List<String> SCRIPTS = List.of("V1__init.sql");

    private SchemaMigrations() {
    }

    /** Applies the missing scripts; returns the schema version the database is now at. */
    static int migrate(Connection db) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try {
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        + "version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied_at TEXT NOT NULL)");
            }
            db.commit();
            int current = currentVersion(db);
            if (current > SCRIPTS.size()) {
                throw new IllegalStateException("database schema version " + current
                        + " is newer than this Berth understands (" + SCRIPTS.size() + ")");
            }
            for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                apply(db, v, SCRIPTS.get(v - 1));
            }
            return SCRIPTS.size();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
        }
    }

    private static int currentVersion(Connection db) throws SQLException {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void apply(Connection db, int version, String script) throws SQLException {
        if (!script.startsWith("V" + version + "__")) {
            throw new IllegalStateException("script " + script + " is listed as version " + version);
        }
        try (Statement st = db.createStatement()) {
            for (String sql : statements(read(script))) {
                st.execute(sql);
            }
        }
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, ?)")) {
            ps.setInt(1, version);
            ps.setString(2, script);
            ps.setString(3, Instant.now().toString());
            ps.executeUpdate();
        }
        db.commit();
    }

    static List<String> statements(String script) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                result.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            result.add(current.toString().strip());
        }
        return result;
    }

    private static String read(String script) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException("schema script missing from the classpath: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
