package io.berth.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.berth.core.runtime.ContainerEvent;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code GET /events} stream of container events, filtered by labels on the engine side.
 * Events are delivered on the stream's own thread, in the engine's order; {@code onClose} runs once
 * when an opened stream ends by itself (engine gone, connection broken), never after {@link #close()}.
 */
final class EventSubscription implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventSubscription.class);

    /** The container actions delivered ("health_status" matches "health_status: healthy" etc.). */
    static final String[] ACTIONS = {"start", "die", "oom", "destroy", "health_status"};

    /** Attributes Docker adds to a container event next to the container's labels. */
    private static final Set<String> NOT_LABELS = Set.of("name", "image", "exitCode", "signal");

    private final Stream stream;

    private EventSubscription(Stream stream) {
        this.stream = stream;
    }

    /** Subscribes, and returns once the engine has accepted the subscription. */
    static EventSubscription open(DockerClient docker, Map<String, String> labels, Consumer<ContainerEvent> listener,
                                  Runnable onClose, Duration connectTimeout) {
        Stream stream = new Stream(listener, onClose);
        var cmd = docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter(ACTIONS);
        if (!labels.isEmpty()) {
            cmd.withLabelFilter(labels);
        }
        cmd.exec(stream);
        stream.awaitStarted("subscribe to events", connectTimeout, Kind.UNAVAILABLE);
        return new EventSubscription(stream);
    }

    @Override
    public void close() {
        stream.close();
    }

    static ContainerEvent toContainerEvent(Event e) {
        String id = e.getActor() != null && e.getActor().getId() != null ? e.getActor().getId() : e.getId();
        Map<String, String> labels = new HashMap<>();
        if (e.getActor() != null && e.getActor().getAttributes() != null) {
            e.getActor().getAttributes().forEach((k, v) -> {
                if (!NOT_LABELS.contains(k) && v != null) {
                    labels.put(k, v);
                }
            });
        }
        Instant at = e.getTimeNano() != null
                ? Instant.ofEpochSecond(0, e.getTimeNano())
                : Instant.ofEpochSecond(e.getTime() == null ? 0 : e.getTime());
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        return new ContainerEvent(id, action, labels, at);
    }

    private static final class Stream extends EngineStream<Event> {
        private final Consumer<ContainerEvent> listener;
        private final Runnable onClose;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean subscribed;

        Stream(Consumer<ContainerEvent> listener, Runnable onClose) {
            this.listener = listener;
            this.onClose = onClose;
        }

        @Override
        public void onStart(Closeable stream) {
            subscribed = true;
            super.onStart(stream);
        }

        @Override
        public void onNext(Event event) {
            if (closedByCaller() || event.getType() != EventType.CONTAINER) {
                return;
            }
            try {
                listener.accept(toContainerEvent(event));
            } catch (RuntimeException e) {
                log.warn("container event listener failed on {}", event, e);
            }
        }

        @Override
        protected void ended(Throwable error) {
            // A subscription that never opened fails open() instead.
            if (!subscribed || closedByCaller() || !ended.compareAndSet(false, true)) {
                return;
            }
            log.info("Docker event stream ended{}", error == null ? "" : ": " + error);
            try {
                onClose.run();
            } catch (RuntimeException e) {
                log.warn("event stream onClose failed", e);
            }
        }
    }
}
