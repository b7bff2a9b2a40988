package io.berth.agent.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The disk buffer of one container's log events, in the agent's state directory, so that nothing is
 * lost when the agent or the server restarts:
 *
 * <pre>
 *   logs/&lt;container id&gt;/meta.json                  where to ship, the next batch number, the read cursor
 *   logs/&lt;container id&gt;/&lt;batch, 20 digits&gt;.batch    sealed batches not yet acknowledged by the server
 * </pre>
 *
 * A batch is sealed once (its events and number never change), written to a temporary file, forced
 * to disk and renamed; then the meta moves its cursor past the batch's last line. A batch is deleted
 * once the server acknowledged it. After a crash: batches are resent with their numbers (the server
 * stores each number once per producer), and reading resumes from the cursor of the last sealed
 * batch, so lines read but not sealed are read again and sealed lines are not.
 *
 * <pre>
 *   batch file: "BLB1" | batch (8) | cursor: present (1) latest (8, epoch ns) floor (8) recent (4)
 *               (nanos (8) hash (8))* | events (4) | (timestamp ms (8) | length (4) | UTF-8 message)*
 *               | CRC-32 of all before (4)
 * </pre>
 * Thread-safe (synchronized).
 */
final class Spool {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = "BLB1".getBytes(StandardCharsets.US_ASCII);
    static final String META = "meta.json";

    /**
     * What a spool is for and how far it got.
     *
     * @param eventStart the regular expression a line beginning an event matches, or null
     * @param readDone the container's output was read to its end (set with {@code shipped})
     * @param shipped read to the end and every batch acknowledged: only kept as a marker until the
     *     container is removed, so that it is not shipped again
     */
    record Meta(String containerId, String taskArn, String containerName, String group, String stream,
                String region, boolean createGroup, String eventStart, String producer, long nextBatch,
                CursorState cursorState, boolean readDone, boolean shipped) {
        Cursor cursor() {
            return cursorState == null ? Cursor.START : cursorState.cursor();
        }

        Meta withCursor(Cursor c, long next) {
            return new Meta(containerId, taskArn, containerName, group, stream, region, createGroup, eventStart,
                    producer, next, CursorState.of(c), readDone, shipped);
        }

        Meta withShipped() {
            return new Meta(containerId, taskArn, containerName, group, stream, region, createGroup, eventStart,
                    producer, nextBatch, cursorState, true, true);
        }
    }

    /** A {@link Cursor} as stored: epoch nanoseconds. */
    record CursorState(Long latest, Long floor, List<long[]> recent) {
        static CursorState of(Cursor c) {
            return c.latest() == null ? null
                    : new CursorState(Cursor.nanos(c.latest()), Cursor.nanos(c.floor()), c.recent());
        }

        Cursor cursor() {
            return latest == null ? Cursor.START : new Cursor(Cursor.instant(latest), Cursor.instant(floor),
                    recent == null ? List.of() : recent);
        }
    }

    /** A sealed batch. */
    record Batch(long number, Cursor cursorAfter, List<EventAssembler.Event> events) {
    }

    private final Path dir;
    private Meta meta;

    private Spool(Path dir, Meta meta) {
        this.dir = dir;
        this.meta = meta;
    }

    static Spool create(Path dir, Meta meta) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Spool spool = new Spool(dir, meta);
        spool.writeMeta(meta);
        return spool;
    }

    /** The spool in {@code dir}, reconciled with its batch files; empty when it has no (readable) meta. */
    static Optional<Spool> open(Path dir) {
        Path file = dir.resolve(META);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Meta meta;
        try {
            meta = JSON.readValue(file.toFile(), Meta.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        Spool spool = new Spool(dir, meta);
        List<Long> pending = spool.pending();
        if (!pending.isEmpty() && pending.get(pending.size() - 1) >= meta.nextBatch()) {
            // crashed between sealing a batch and moving the meta: the batch file is the truth
            long last = pending.get(pending.size() - 1);
            spool.read(last).ifPresent(b -> spool.writeMeta(meta.withCursor(b.cursorAfter(), last + 1)));
        }
        return Optional.of(spool);
    }

    synchronized Meta meta() {
        return meta;
    }

    Path dir() {
        return dir;
    }

    /** Seals {@code events} (read up to {@code cursorAfter}) as the next batch; returns its number. */
    synchronized long seal(List<EventAssembler.Event> events, Cursor cursorAfter) {
        long number = meta.nextBatch();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeLong(number);
            out.writeBoolean(cursorAfter.latest() != null);
            out.writeLong(cursorAfter.latest() == null ? 0 : Cursor.nanos(cursorAfter.latest()));
            out.writeLong(cursorAfter.floor() == null ? 0 : Cursor.nanos(cursorAfter.floor()));
            out.writeInt(cursorAfter.recent().size());
            for (long[] r : cursorAfter.recent()) {
                out.writeLong(r[0]);
                out.writeLong(r[1]);
            }
            out.writeInt(events.size());
            for (EventAssembler.Event e : events) {
                byte[] message = e.message().getBytes(StandardCharsets.UTF_8);
                out.writeLong(e.timestamp());
                out.writeInt(message.length);
                out.write(message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        byte[] body = bytes.toByteArray();
        byte[] file = ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
        writeAtomically(dir.resolve(name(number)), file);
        writeMeta(meta.withCursor(cursorAfter, number + 1));
        return number;
    }

    /** Sealed batches not yet acknowledged, by number. */
    synchronized List<Long> pending() {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".batch"))
                    .forEach(n -> {
                        try {
                            out.add(Long.parseLong(n.substring(0, n.length() - ".batch".length())));
                        } catch (NumberFormatException ignored) {
                            // not one of ours
                        }
                    });
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    /** The bytes of the sealed batches not yet acknowledged. */
    synchronized long pendingBytes() {
        long total = 0;
        for (long n : pending()) {
            try {
                total += Files.size(dir.resolve(name(n)));
            } catch (IOException e) {
                // acknowledged meanwhile
            }
        }
        return total;
    }

    /** A sealed batch; empty when it is gone or torn (then it is dropped: it was never acknowledged). */
    synchronized Optional<Batch> read(long number) {
        Path file = dir.resolve(name(number));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
                throw new IllegalStateException("checksum");
            }
            byte[] magic = new byte[4];
            in.get(magic);
            long n = in.getLong();
            boolean hasCursor = in.get() != 0;
            long latest = in.getLong();
            long floor = in.getLong();
            int recentCount = in.getInt();
            List<long[]> recent = new ArrayList<>(recentCount);
            for (int i = 0; i < recentCount; i++) {
                recent.add(new long[] {in.getLong(), in.getLong()});
            }
            int events = in.getInt();
            List<EventAssembler.Event> list = new ArrayList<>(events);
            Cursor cursor = hasCursor ? new Cursor(Cursor.instant(latest), Cursor.instant(floor), recent)
                    : Cursor.START;
            for (int i = 0; i < events; i++) {
                long ts = in.getLong();
                int length = in.getInt();
                String message = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
                in.position(in.position() + length);
                list.add(new EventAssembler.Event(ts, message, cursor));
            }
            return Optional.of(new Batch(n, cursor, list));
        } catch (RuntimeException e) {
            deleteQuietly(file);
            return Optional.empty();
        }
    }

    /** The server has the batch: its file goes. */
    synchronized void acknowledge(long number) {
        deleteQuietly(dir.resolve(name(number)));
    }

    synchronized void markShipped() {
        if (!meta.shipped()) {
            writeMeta(meta.withShipped());
        }
    }

    /** Removes the spool and its directory. */
    synchronized void delete() {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(Spool::deleteQuietly);
        } catch (IOException e) {
            // gone already
        }
        deleteQuietly(dir);
    }

    private void writeMeta(Meta next) {
        try {
            writeAtomically(dir.resolve(META), JSON.writeValueAsBytes(next));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        meta = next;
    }

    private static String name(long number) {
        return String.format("%020d.batch", number);
    }

    static void writeAtomically(Path target, byte[] bytes) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // some file systems cannot sync a directory
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
