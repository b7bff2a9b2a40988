package io.berth.store.sqlite;

import io.berth.core.store.Mutation;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Child process of {@link SqliteCrashTest}: commits from several threads until killed, printing the
 * key of each acknowledged commit on its own line, after the commit returned.
 *
 * <p>Usage: {@code CrashingCommitter <directory> <threads>}
 */
public final class CrashingCommitter {

    private CrashingCommitter() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        SqliteStateStore store = SqliteStateStore.open(directory);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                for (long i = 0; ; i++) {
                    String key = "t" + thread + "/" + i;
                    store.commit(List.of(Mutation.create("crash", key, key.getBytes(StandardCharsets.UTF_8))),
                            Duration.ofSeconds(30));
                    synchronized (out) {
                        out.println(key);
                        out.flush();
                    }
                }
            });
        }
    }
}
