package io.berth.agent.runtime;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ResponseItem;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One streamed engine answer (pull, load, events), consumed by docker-java on its own thread. The
 * caller waits on {@link #awaitStarted} or {@link #awaitFinished} with a timeout and closes the
 * stream, which aborts the HTTP exchange, when it gives up.
 *
 * <p>docker-java calls {@code onStart} once the engine has answered with its headers, then {@code
 * onNext} per JSON object, then {@code onComplete} or {@code onError}; all on one thread.
 */
abstract class EngineStream<T> implements ResultCallback<T> {
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile Closeable stream;
    private volatile boolean closed;
    /** The first error the engine reported inside the stream ({"errorDetail": ...}), if any. */
    private volatile String streamError;

    @Override
    public void onStart(Closeable stream) {
        this.stream = stream;
        if (closed) {
            closeStream(); // closed before the engine answered
        }
        started.complete(null);
    }

    @Override
    public void onError(Throwable error) {
        started.completeExceptionally(error);
        finished.completeExceptionally(error);
        ended(error);
    }

    @Override
    public void onComplete() {
        started.complete(null);
        finished.complete(null);
        ended(null);
    }

    /** Stops the stream (idempotent); docker-java then ends it with onError. */
    @Override
    public void close() {
        closed = true;
        closeStream();
    }

    boolean closedByCaller() {
        return closed;
    }

    /** Called once the stream has ended, with the error that ended it or null. */
    protected void ended(Throwable error) {
    }

    /** Records the error of a progress item ({"error": ..., "errorDetail": {"message": ...}}). */
    protected void noteError(ResponseItem item) {
        String message = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                ? item.getErrorDetail().getMessage()
                : item.getError();
        if (message != null && streamError == null) {
            streamError = message;
        }
    }

    /** Waits for the engine's headers; closes the stream and throws when they do not come in time. */
    void awaitStarted(String operation, Duration timeout, Kind failureKind) {
        await(started, operation, timeout, failureKind);
    }

    /**
     * Waits for the end of the stream; closes it and throws TIMEOUT when it does not end in time, and
     * {@code failureKind} with the engine's message when the engine reported an error.
     */
    void awaitFinished(String operation, Duration timeout, Kind failureKind) {
        await(finished, operation, timeout, failureKind);
        if (streamError != null) {
            throw new RuntimeFailure(failureKind, operation + ": " + streamError);
        }
    }

    private void await(CompletableFuture<Void> future, String operation, Duration timeout, Kind failureKind) {
        try {
            future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            close();
            throw new RuntimeFailure(Kind.TIMEOUT, operation + ": no answer from the Docker Engine within " + timeout);
        } catch (ExecutionException e) {
            close();
            throw EngineErrors.translate(operation, e.getCause(), failureKind, failureKind);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(Kind.UNAVAILABLE, operation + ": interrupted");
        }
    }

    private void closeStream() {
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException | RuntimeException ignored) {
                // already broken: nothing more to release
            }
        }
    }
}
