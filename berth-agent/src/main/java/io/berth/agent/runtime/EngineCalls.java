package io.berth.agent.runtime;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking docker-java calls on a bounded pool so that each honours its caller's timeout. A
 * call that overruns is cancelled: its thread is interrupted, which closes a unix-socket channel
 * and so aborts the HTTP exchange (a TCP socket is released by the client's response timeout).
 * Calls waiting for a thread count against their timeout too.
 *
 * <p>Thread-safe.
 */
final class EngineCalls implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    EngineCalls(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "berth-docker-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code body} and waits at most {@code timeout} for it.
     *
     * @param failureKind what an engine error answer (4xx, 5xx) means for this operation
     * @param notFoundKind what a 404 answer means (when {@code body} does not handle it itself)
     */
    <T> T call(String operation, Duration timeout, Kind failureKind, Kind notFoundKind, Callable<T> body) {
        Future<T> future;
        try {
            future = pool.submit(body);
        } catch (RejectedExecutionException e) {
            throw new RuntimeFailure(Kind.UNAVAILABLE, operation + ": the runtime is closed", e);
        }
        try {
            return future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RuntimeFailure(Kind.TIMEOUT, operation + ": no answer from the Docker Engine within " + timeout);
        } catch (ExecutionException e) {
            throw EngineErrors.translate(operation, e.getCause(), failureKind, notFoundKind);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(Kind.UNAVAILABLE, operation + ": interrupted");
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
