package io.berth.core.runtime;

/**
 * A container's output being read from the engine ({@link ContainerRuntime#logs}): stdout and
 * stderr interleaved in the engine's order. One thread reads; {@link #close()} may be called from
 * any thread and makes a blocked {@link #next()} return (null) or throw.
 */
public interface ContainerLogs extends AutoCloseable {

    /**
     * The next line, waiting for it when following. Null when the output has ended: when not
     * following, everything was read; when following, the container stopped and everything was read.
     *
     * @throws RuntimeFailure when the engine connection broke (the reader may open the logs again
     *     from the last timestamp it saw)
     */
    LogLine next();

    @Override
    void close();
}
