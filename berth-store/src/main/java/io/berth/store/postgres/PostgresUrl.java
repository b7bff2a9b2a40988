package io.berth.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a PostgreSQL store lives, parsed from the URL form libpq and most tools take,
 * {@code postgresql://user:password@host:port/database?param=value} (also {@code postgres://}, and
 * {@code jdbc:postgresql://...}), into the JDBC URL and the credentials. User and password may be
 * percent-encoded; query parameters ({@code sslmode}, {@code currentSchema}...) go to the driver.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database?params}, without credentials
 * @param user the user, or null to let the driver pick
 * @param password the password, or null
 */
public record PostgresUrl(String jdbcUrl, String user, String password) {

    public PostgresUrl {
        Objects.requireNonNull(jdbcUrl);
    }

    /** Whether {@code location} names a PostgreSQL database (rather than, say, a directory). */
    public static boolean matches(String location) {
        return location != null && (location.startsWith("postgresql://") || location.startsWith("postgres://")
                || location.startsWith("jdbc:postgresql://"));
    }

    /** @throws IllegalArgumentException if {@code location} is not such a URL; the message hides the password */
    public static PostgresUrl parse(String location) {
        if (!matches(location)) {
            throw new IllegalArgumentException("not a PostgreSQL URL (postgresql://user:password@host:port/db): "
                    + redact(location));
        }
        String rest = location.substring(location.indexOf("://") + 3);
        URI uri;
        try {
            uri = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed PostgreSQL URL " + redact(location) + ": " + e.getReason());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("PostgreSQL URL without a host: " + redact(location));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() <= 1) {
            throw new IllegalArgumentException("PostgreSQL URL without a database: " + redact(location));
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String host = uri.getHost();
        String jdbc = "jdbc:postgresql://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new PostgresUrl(jdbc, user == null || user.isEmpty() ? null : user, password);
    }

    /** {@code location} with any password replaced by {@code ***}, for messages and logs. */
    public static String redact(String location) {
        if (location == null) {
            return "null";
        }
        return location.replaceFirst("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    /** The JDBC URL, for messages: it never holds the password. */
    @Override
    public String toString() {
        return jdbcUrl + (user == null ? "" : " as " + user);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
