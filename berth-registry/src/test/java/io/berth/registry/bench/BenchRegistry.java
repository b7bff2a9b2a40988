package io.berth.registry.bench;

import io.berth.registry.RegistryApi;
import io.berth.registry.RegistryServer;
import io.berth.store.sqlite.SqliteStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * By hand, not a test: the registry as the server runs it (SQLite store, file blobs) on a free
 * loopback port, with repositories {@code bench/*} created on demand by the caller. Prints the
 * address and a registry password, then runs until killed.
 *
 * <pre>java -cp ... io.berth.registry.bench.BenchRegistry DIR</pre>
 */
public final class BenchRegistry {
    private BenchRegistry() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        RegistryServer server = RegistryServer.start(SqliteStateStore.open(dir.resolve("store")), dir.resolve("blobs"),
                InstantSource.system(), RegistryApi.Settings.defaults());
        String token = server.ecr("GetAuthorizationToken", "{}").body();
        String b64 = token.replaceAll(".*\"authorizationToken\":\"([^\"]+)\".*", "$1");
        String password = new String(java.util.Base64.getDecoder().decode(b64)).substring(4);
        for (int i = 0; i < (args.length > 1 ? Integer.parseInt(args[1]) : 20); i++) {
            server.ecr("CreateRepository", "{\"repositoryName\":\"bench/r" + i + "\"}");
        }
        System.out.println("host " + server.host());
        System.out.println("password " + password);
        System.out.flush();
        Thread.currentThread().join();
    }
}
