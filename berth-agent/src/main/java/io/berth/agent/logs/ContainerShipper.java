package io.berth.agent.logs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.runtime.ContainerLogs;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.LogLine;
import io.berth.core.runtime.RuntimeFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships one container's output to the Logs API, through its {@link Spool}.
 *
 * <pre>
 *   reader (virtual thread):  engine logs (follow, timestamps) ─▶ EventAssembler ─▶ open events
 *                                                                                     │ seal: 1 s, 10,000 events,
 *   sender (virtual thread):  PutLogEvents(sequenceToken berth:&lt;producer&gt;:&lt;batch&gt;) ◀── spool batch files
 * </pre>
 *
 * The reader follows the output until the container stops (a broken stream is opened again from
 * where it got to); the sender ships sealed batches in order, retrying with backoff while the server
 * is unreachable, and creates the group (awslogs-create-group) and the stream first. When the output
 * is read to its end and every batch acknowledged, the spool is marked shipped. Closing stops both
 * threads; what was sealed stays in the spool for the next agent.
 */
final class ContainerShipper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContainerShipper.class);
    static final int MAX_BATCH_EVENTS = 10_000;
    /** Under PutLogEvents' 1,048,576, counting 26 bytes per event as AWS does. */
    static final long MAX_BATCH_BYTES = 1_000_000;
    static final long MAX_BATCH_SPAN = Duration.ofHours(23).toMillis();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    /**
     * How shippers behave.
     *
     * @param maxSpoolBytes the most a container's unacknowledged batches may take on disk; beyond,
     *     the oldest are dropped (the server has been away too long)
     */
    record Settings(Duration flushInterval, Duration retryBase, Duration retryCap, InstantSource clock,
                    long maxSpoolBytes) {
    }

    private final Spool spool;
    private final ContainerRuntime runtime;
    private final Function<String, AwsJsonClient> clients;
    private final Settings settings;
    private final EventAssembler assembler;
    private final List<EventAssembler.Event> open = new ArrayList<>();
    private final CountDownLatch readFinished = new CountDownLatch(1);
    private final CountDownLatch shipped = new CountDownLatch(1);
    private final Object wake = new Object();
    private long openBytes;
    private Instant openSince;
    private volatile boolean readerDone;
    private volatile boolean streamReady;
    private volatile boolean closed;
    private volatile ContainerLogs reading;
    private Thread reader;
    private Thread sender;

    ContainerShipper(Spool spool, ContainerRuntime runtime, Function<String, AwsJsonClient> clients,
                     Pattern eventStart, Settings settings) {
        this.spool = spool;
        this.runtime = runtime;
        this.clients = clients;
        this.settings = settings;
        this.assembler = new EventAssembler(eventStart);
    }

    ContainerShipper start() {
        Spool.Meta meta = spool.meta();
        if (meta.shipped()) {
            readerDone = true;
            readFinished.countDown();
            shipped.countDown();
            return this;
        }
        String name = meta.containerId().substring(0, Math.min(12, meta.containerId().length()));
        reader = Thread.ofVirtual().name("berth-logs-read-" + name).start(this::read);
        sender = Thread.ofVirtual().name("berth-logs-send-" + name).start(this::send);
        return this;
    }

    Spool spool() {
        return spool;
    }

    String containerId() {
        return spool.meta().containerId();
    }

    /** Waits until the container's output was read to its end (it stopped); false on timeout. */
    boolean awaitRead(Duration timeout) throws InterruptedException {
        return readFinished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until everything was read and acknowledged; false on timeout. */
    boolean awaitShipped(Duration timeout) throws InterruptedException {
        return shipped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isShipped() {
        return shipped.getCount() == 0;
    }

    // ---- reading ---------------------------------------------------------------------------------

    private void read() {
        Cursor cursor = spool.meta().cursor();
        int failures = 0;
        try {
            while (!closed) {
                Cursor.Resume resume = cursor.resume();
                try (ContainerLogs logs = runtime.logs(containerId(), cursor.since(), true, CALL_TIMEOUT)) {
                    reading = logs;
                    if (closed) {
                        return;
                    }
                    for (LogLine line = logs.next(); line != null && !closed; line = logs.next()) {
                        if (resume.taken(line)) {
                            continue; // taken before the stream was opened again
                        }
                        cursor = cursor.after(line);
                        take(assembler(line, cursor));
                        failures = 0;
                    }
                } catch (RuntimeFailure f) {
                    if (f.kind() == RuntimeFailure.Kind.NOT_FOUND) {
                        break; // removed: nothing more to read
                    }
                    log.warn("reading the logs of container {}: {}", containerId(), f.getMessage());
                    sleep(backoff(++failures));
                    continue;
                }
                if (closed) {
                    return;
                }
                Optional<ContainerState> state = inspect();
                if (state == null) {
                    sleep(backoff(++failures));
                    continue;
                }
                if (state.isEmpty() || state.get().exited()
                        || (state.get().error() != null && state.get().startedAt() == null)) {
                    break; // stopped (or failed to start): everything was read
                }
                // not started yet, or the stream broke while it runs
                sleep(Duration.ofMillis(state.get().running() ? 200 : 1000));
            }
            synchronized (this) {
                take(assembler.flush());
                readerDone = true;
            }
            readFinished.countDown();
            poke();
        } catch (RuntimeException e) {
            log.error("reading the logs of container {} failed", containerId(), e);
        }
    }

    private synchronized List<EventAssembler.Event> assembler(LogLine line, Cursor cursor) {
        return assembler.add(line, cursor);
    }

    /** Adds completed events to the open batch, sealing it first where a limit would be passed. */
    private synchronized void take(List<EventAssembler.Event> events) {
        for (EventAssembler.Event e : events) {
            long size = e.message().getBytes(StandardCharsets.UTF_8).length + 26L;
            if (!open.isEmpty() && (open.size() >= MAX_BATCH_EVENTS || openBytes + size > MAX_BATCH_BYTES
                    || Math.abs(e.timestamp() - open.get(0).timestamp()) > MAX_BATCH_SPAN)) {
                seal();
            }
            if (open.isEmpty()) {
                openSince = settings.clock().instant();
            }
            open.add(e);
            openBytes += size;
        }
    }

    /** Seals the open events as a batch (sorted by timestamp, as PutLogEvents wants them). */
    private synchronized void seal() {
        if (open.isEmpty()) {
            return;
        }
        Cursor after = open.get(open.size() - 1).cursorAfter();
        List<EventAssembler.Event> batch = new ArrayList<>(open);
        batch.sort(Comparator.comparingLong(EventAssembler.Event::timestamp));
        spool.seal(batch, after);
        if (spool.pendingBytes() > settings.maxSpoolBytes()) {
            List<Long> pending = spool.pending();
            log.warn("the log buffer of container {} is over {} bytes: dropping its oldest batch {}", containerId(),
                    settings.maxSpoolBytes(), pending.get(0));
            spool.acknowledge(pending.get(0));
        }
        open.clear();
        openBytes = 0;
        openSince = null;
        poke();
    }

    /** Seals what is due: open events older than the flush interval, a multi-line event waiting as long. */
    private synchronized void sealDue() {
        Instant now = settings.clock().instant();
        Instant pending = assembler.pendingSince();
        if (pending != null && (readerDone || pending.plus(settings.flushInterval()).isBefore(now))) {
            take(assembler.flush());
        }
        if (!open.isEmpty() && (readerDone || !openSince.plus(settings.flushInterval()).isAfter(now))) {
            seal();
        }
    }

    // ---- sending ---------------------------------------------------------------------------------

    private void send() {
        int failures = 0;
        try {
            while (!closed) {
                sealDue();
                List<Long> pending = spool.pending();
                if (pending.isEmpty()) {
                    boolean finished;
                    synchronized (this) {
                        finished = readerDone && open.isEmpty() && assembler.pendingSince() == null;
                    }
                    if (finished) {
                        spool.markShipped();
                        shipped.countDown();
                        return;
                    }
                    waitForWork(Duration.ofMillis(Math.min(200, settings.flushInterval().toMillis())));
                    continue;
                }
                long number = pending.get(0);
                try {
                    ship(number);
                    failures = 0;
                } catch (AwsCallException e) {
                    if (!e.retryable() && !"ResourceNotFoundException".equals(e.type())) {
                        log.error("the server refused batch {} of container {} for good, dropping it: {}", number,
                                containerId(), e.getMessage());
                        spool.acknowledge(number);
                        continue;
                    }
                    Duration delay = backoff(++failures);
                    if (failures == 1 || failures % 20 == 0) {
                        log.warn("shipping the logs of container {} to {}/{}: {} (retrying in {} ms)", containerId(),
                                spool.meta().group(), spool.meta().stream(), e.getMessage(), delay.toMillis());
                    }
                    waitForWork(delay);
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                log.error("shipping the logs of container {} failed", containerId(), e);
            }
        }
    }

    private void ship(long number) {
        Optional<Spool.Batch> batch = spool.read(number);
        if (batch.isEmpty()) {
            spool.acknowledge(number);
            return;
        }
        if (!streamReady) {
            ensureStream(CALL_TIMEOUT);
        }
        Spool.Meta meta = spool.meta();
        ObjectNode in = AwsJsonClient.object();
        in.put("logGroupName", meta.group());
        in.put("logStreamName", meta.stream());
        in.put("sequenceToken", "berth:" + meta.producer() + ":" + number);
        ArrayNode events = in.putArray("logEvents");
        for (EventAssembler.Event e : batch.get().events()) {
            events.addObject().put("timestamp", e.timestamp()).put("message", e.message());
        }
        if (events.isEmpty()) {
            spool.acknowledge(number);
            return;
        }
        try {
            clients.apply(meta.region()).call("PutLogEvents", in, CALL_TIMEOUT);
        } catch (AwsCallException e) {
            if ("ResourceNotFoundException".equals(e.type())) {
                streamReady = false; // the stream (or group) was deleted: create it again
            }
            throw e;
        }
        spool.acknowledge(number);
    }

    /**
     * Creates the log group (with awslogs-create-group) and the stream, unless they exist.
     *
     * @throws AwsCallException e.g. ResourceNotFoundException when the group does not exist
     */
    void ensureStream(Duration timeout) {
        Spool.Meta meta = spool.meta();
        AwsJsonClient client = clients.apply(meta.region());
        if (meta.createGroup()) {
            try {
                client.call("CreateLogGroup", AwsJsonClient.object().put("logGroupName", meta.group()), timeout);
            } catch (AwsCallException e) {
                if (!"ResourceAlreadyExistsException".equals(e.type())) {
                    throw e;
                }
            }
        }
        try {
            client.call("CreateLogStream", AwsJsonClient.object().put("logGroupName", meta.group())
                    .put("logStreamName", meta.stream()), timeout);
        } catch (AwsCallException e) {
            if (!"ResourceAlreadyExistsException".equals(e.type())) {
                throw e;
            }
        }
        streamReady = true;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** The container's state; empty when it is gone; null when the engine did not answer. */
    private Optional<ContainerState> inspect() {
        try {
            return runtime.inspect(containerId(), CALL_TIMEOUT);
        } catch (RuntimeFailure f) {
            return null;
        }
    }

    private Duration backoff(int failures) {
        long base = settings.retryBase().toMillis();
        long delay = base << Math.min(Math.max(failures - 1, 0), 16);
        return Duration.ofMillis(Math.min(delay, settings.retryCap().toMillis()));
    }

    private void poke() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void waitForWork(Duration at) {
        synchronized (wake) {
            try {
                wake.wait(Math.max(1, at.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops reading and sending; sealed batches stay in the spool. */
    @Override
    public void close() {
        closed = true;
        ContainerLogs logs = reading;
        if (logs != null) {
            logs.close();
        }
        poke();
        for (Thread t : new Thread[] {reader, sender}) {
            if (t != null) {
                t.interrupt();
            }
        }
        for (Thread t : new Thread[] {reader, sender}) {
            if (t != null) {
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
