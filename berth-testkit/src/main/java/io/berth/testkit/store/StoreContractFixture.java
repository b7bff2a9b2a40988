package io.berth.testkit.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.fail;

import io.berth.core.store.Change;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the {@link StateStoreContract} suite: the store under test, made fresh for each
 * test in a fresh temporary directory and closed afterwards, and the helpers the tests share.
 */
public abstract class StoreContractFixture {

    protected static final Duration TIMEOUT = Duration.ofSeconds(10);
    protected static final String KIND = "cluster";

    @TempDir
    protected Path dir;

    /** The store under test; {@link #reopenStore()} replaces it. */
    protected StateStore store;

    /** A new, empty store keeping its files (if any) in {@code dir}. */
    protected abstract StateStore newStore(Path dir);

    /** Whether the adapter persists, and so supports {@link #reopen(Path)}. */
    protected boolean durable() {
        return false;
    }

    /** The store kept in {@code dir} by an earlier, closed store. Only called when {@link #durable()}. */
    protected StateStore reopen(Path dir) {
        throw new UnsupportedOperationException("not a durable adapter");
    }

    @BeforeEach
    protected final void openContractStore() {
        store = newStore(dir);
    }

    @AfterEach
    protected final void closeContractStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- helpers ----

    protected final List<Long> commit(Mutation... mutations) {
        return store.commit(List.of(mutations), TIMEOUT);
    }

    /** Closes the store under test and opens the one persisted in {@link #dir}. */
    protected final void reopenStore() {
        store.close();
        store = null;
        store = reopen(dir);
    }

    protected final void createAll(String... keys) {
        for (String key : keys) {
            commit(Mutation.create(KIND, key, bytes(key)));
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected static List<String> keysOf(List<Versioned> entries) {
        return entries.stream().map(Versioned::key).toList();
    }

    protected static List<Long> sequences(long first, long last) {
        List<Long> result = new ArrayList<>();
        for (long s = first; s <= last; s++) {
            result.add(s);
        }
        return result;
    }

    protected static String describe(Optional<Versioned> entry) {
        return entry.map(v -> v.kind() + "/" + v.key() + " v" + v.version() + " =" + new String(v.value(), UTF_8))
                .orElse("absent");
    }

    protected static String line(Change c) {
        return c.sequence() + " " + c.kind() + "/" + c.key() + " v" + c.version()
                + (c.deleted() ? " deleted" : " =" + new String(c.value(), UTF_8));
    }

    protected interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} threads started together; rethrows the first failure. */
    protected static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    protected static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not met within 30 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    protected static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
