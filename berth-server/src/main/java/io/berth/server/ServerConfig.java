package io.berth.server;

import io.berth.core.arn.Account;
import io.berth.store.StateStores;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How one Berth server runs.
 *
 * @param host the address the API port binds to
 * @param port the API port (0 picks a free one)
 * @param dataDir where the store and the generated credentials live
 * @param account the account id and region Berth serves
 * @param allowReset whether {@code POST /_berth/reset} exists
 * @param rootAccessKeyId a root access key to use instead of generating one (null: generate)
 * @param rootSecretAccessKey its secret
 * @param store where the state lives: null for SQLite in the data directory, or a
 *     {@code postgresql://user:pass@host:port/db} URL (see {@link StateStores})
 * @param advertisedHost the host name or address other machines reach this server at (the
 *     registry's repositoryUri and docker login address); null: the listen address, or 127.0.0.1
 *     when the server listens on every address
 * @param osvDir where image scanning reads OSV vulnerability files; null: {@code registry/osv} in the
 *     data directory (see {@link #osvDirectory()})
 */
public record ServerConfig(String host, int port, Path dataDir, Account account, boolean allowReset,
                           String rootAccessKeyId, String rootSecretAccessKey, String store,
                           String advertisedHost, Path osvDir) {
    public ServerConfig {
        StateStores.validate(store);
        Objects.requireNonNull(host);
        Objects.requireNonNull(dataDir);
        Objects.requireNonNull(account);
        if ((rootAccessKeyId == null) != (rootSecretAccessKey == null)) {
            throw new IllegalArgumentException(
                    "BERTH_ACCESS_KEY_ID and BERTH_SECRET_ACCESS_KEY must be given together");
        }
    }

    /** A server on the embedded SQLite store. */
    public ServerConfig(String host, int port, Path dataDir, Account account, boolean allowReset,
                        String rootAccessKeyId, String rootSecretAccessKey) {
        this(host, port, dataDir, account, allowReset, rootAccessKeyId, rootSecretAccessKey, null, null, null);
    }

    public ServerConfig(String host, int port, Path dataDir, Account account, boolean allowReset,
                        String rootAccessKeyId, String rootSecretAccessKey, String store) {
        this(host, port, dataDir, account, allowReset, rootAccessKeyId, rootSecretAccessKey, store, null, null);
    }

    /** Where image scanning reads OSV files: {@link #osvDir}, else {@code <dataDir>/registry/osv}. */
    public Path osvDirectory() {
        return osvDir != null ? osvDir : dataDir.resolve("registry").resolve("osv");
    }

    /** The host part of addresses handed to clients: {@link #advertisedHost}, else the listen address. */
    public String publicHost() {
        String h = advertisedHost != null ? advertisedHost
                : host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    /** Without the secret key or the store's password. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", account=" + account
                + ", allowReset=" + allowReset + ", rootAccessKeyId=" + rootAccessKeyId
                + ", advertisedHost=" + advertisedHost + ", osvDir=" + osvDirectory() + ", store=" + (store == null ? "sqlite" : io.berth.store.postgres.PostgresUrl.redact(store)) + "]";
    }

    public ServerConfig withStore(String location) {
        return new ServerConfig(host, port, dataDir, account, allowReset, rootAccessKeyId, rootSecretAccessKey,
                location, advertisedHost, osvDir);
    }

    public ServerConfig withOsvDir(Path dir) {
        return new ServerConfig(host, port, dataDir, account, allowReset, rootAccessKeyId, rootSecretAccessKey,
                store, advertisedHost, dir);
    }
}
