package io.berth.testkit.runtime;

import io.berth.core.runtime.ContainerEvent;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One {@code events(...)} subscription of {@link FakeContainerRuntime}. Like the Docker event
 * stream it delivers on its own thread, in order; {@code onClose} runs once when the stream breaks
 * (the fake engine went down), never after the subscriber closed it.
 */
final class FakeEventStream implements AutoCloseable {
    private final Map<String, String> labels;
    private final Consumer<ContainerEvent> listener;
    private final Runnable onClose;
    private final ExecutorService delivery;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable unsubscribe;

    FakeEventStream(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable onClose,
                    Runnable unsubscribe) {
        this.labels = Map.copyOf(labels);
        this.listener = listener;
        this.onClose = onClose;
        this.unsubscribe = unsubscribe;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-docker-events");
            t.setDaemon(true);
            return t;
        });
    }

    boolean matches(Map<String, String> containerLabels) {
        return containerLabels.entrySet().containsAll(labels.entrySet());
    }

    void deliver(ContainerEvent event) {
        if (closed.get() || !matches(event.labels())) {
            return;
        }
        delivery.execute(() -> {
            if (!closed.get()) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    System.getLogger(FakeEventStream.class.getName())
                            .log(System.Logger.Level.WARNING, "event listener failed", e);
                }
            }
        });
    }

    /** The stream broke: tells the subscriber (after the events already queued), then stops. */
    void breakStream() {
        if (closed.compareAndSet(false, true)) {
            delivery.execute(onClose);
            delivery.shutdown();
            unsubscribe.run();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            delivery.shutdown();
            unsubscribe.run();
        }
    }
}
