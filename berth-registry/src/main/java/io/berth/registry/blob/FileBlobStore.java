package io.berth.registry.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The filesystem adapter of {@link BlobStore}. On-disk layout under its root:
 *
 * <pre>
 *   blobs/sha256/ab/abcdef0123…     complete blobs, named by digest; mtime = last put/complete/touch
 *   blobs/sha512/…
 *   uploads/&lt;uuid&gt;/info             "startedAtMillis\nowner"
 *   uploads/&lt;uuid&gt;/data             the bytes received so far (its size is the upload's offset)
 *   uploads/put-&lt;uuid&gt;.part         a monolithic put being received
 * </pre>
 *
 * <p>A blob appears by an atomic rename of a verified, fsynced file into {@code blobs/}, followed by
 * an fsync of its directory, so a reader never sees part of a blob and a returned put survives a
 * crash. Times (touch, upload activity) come from the injected clock and are kept as file mtimes.
 * A lock per digest stripe orders {@link #touch} against the check-and-delete of {@link #sweep}; a
 * lock per upload serializes its chunks. Thread-safe; one process per root.
 */
public final class FileBlobStore implements BlobStore {
    private static final Pattern UPLOAD_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BUFFER = 256 * 1024;
    private static final int STRIPES = 64;

    private final Path blobs;
    private final Path uploads;
    private final InstantSource clock;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ConcurrentHashMap<String, UploadState> states = new ConcurrentHashMap<>();
    private final Set<Path> putsInFlight = ConcurrentHashMap.newKeySet();

    /** Hash state of an upload, valid while {@code hashed} equals the upload's size. */
    private static final class UploadState {
        final ReentrantLock lock = new ReentrantLock();
        MessageDigest sha256 = Digest.hasher(Digest.SHA256);
        long hashed;

        UploadState(long hashed) {
            this.hashed = hashed;
        }
    }

    private FileBlobStore(Path root, InstantSource clock) {
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Opens (creating) the store kept under {@code root}; leftovers of interrupted puts are removed. */
    public static FileBlobStore open(Path root, InstantSource clock) {
        FileBlobStore store = new FileBlobStore(root, clock);
        try {
            Files.createDirectories(store.blobs);
            Files.createDirectories(store.uploads);
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(store.uploads, "put-*.part")) {
                for (Path part : parts) {
                    Files.deleteIfExists(part);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open blob store at " + root, e);
        }
        return store;
    }

    // ---- reads ----

    @Override
    public Optional<BlobInfo> stat(Digest digest) {
        try {
            return Optional.of(new BlobInfo(digest, Files.size(path(digest))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(Digest digest, long offset, long length) {
        FileChannel channel = openRange(digest, offset, length);
        try {
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException | RuntimeException e) {
            throw closing(channel, e);
        }
    }

    @Override
    public Optional<ByteBuffer> map(Digest digest, long offset, long length) {
        if (length > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        // the mapping outlives the channel, and a blob's file is never changed, only replaced by a
        // rename or removed: the pages mapped stay this blob's
        try (FileChannel channel = openRange(digest, offset, length)) {
            return Optional.of(channel.map(FileChannel.MapMode.READ_ONLY, offset, length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blob's file, open for reading, once the range is known to lie inside it. */
    private FileChannel openRange(Digest digest, long offset, long length) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new BlobException(BlobException.Reason.BLOB_UNKNOWN, "blob unknown: " + digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            long size = channel.size();
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new IllegalArgumentException("range " + offset + "+" + length + " outside a blob of " + size);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            throw closing(channel, e);
        }
    }

    // ---- monolithic put ----

    @Override
    public BlobInfo put(Digest expected, InputStream content) {
        Path part = uploads.resolve("put-" + UUID.randomUUID() + ".part");
        putsInFlight.add(part);
        try {
            MessageDigest hasher = expected.newHasher();
            long size;
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                size = copy(content, out, hasher, null);
                out.force(true);
            }
            Digest actual = Digest.from(expected.algorithm(), hasher);
            if (!actual.equals(expected)) {
                throw mismatch(expected, actual);
            }
            publish(part, expected);
            return new BlobInfo(expected, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            putsInFlight.remove(part);
            deleteQuietly(part);
        }
    }

    // ---- uploads ----

    @Override
    public Upload startUpload(String owner) {
        if (owner.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("owner must be one line");
        }
        String id = UUID.randomUUID().toString();
        Path dir = uploads.resolve(id);
        Instant now = clock.instant();
        // the upload's state is registered and locked before its directory appears: expireUploads
        // (which takes that lock) must not see the directory without its info, as a leftover of a
        // crash, and delete it under a client that is starting the upload (GarbageCollectorUnderPushesTest)
        UploadState state = new UploadState(0);
        state.lock.lock();
        states.put(id, state);
        try {
            Files.createDirectory(dir);
            Path data = Files.createFile(dir.resolve("data"));
            Files.setLastModifiedTime(data, FileTime.from(now));
            Path tmp = dir.resolve("info.tmp");
            Files.writeString(tmp, now.toEpochMilli() + "\n" + owner, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("info"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteTree(dir);
            states.remove(id);
            throw new UncheckedIOException(e);
        } finally {
            state.lock.unlock();
        }
        return new Upload(id, owner, 0, now, now);
    }

    @Override
    public Optional<Upload> upload(String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            return Optional.empty();
        }
        Path dir = uploads.resolve(uploadId);
        try {
            String info = Files.readString(dir.resolve("info"), StandardCharsets.UTF_8);
            int nl = info.indexOf('\n');
            Path data = dir.resolve("data");
            return Optional.of(new Upload(uploadId, info.substring(nl + 1), Files.size(data),
                    Instant.ofEpochMilli(Long.parseLong(info.substring(0, nl))),
                    Files.getLastModifiedTime(data).toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Upload append(String uploadId, long offset, InputStream content) {
        UploadState state = state(uploadId);
        state.lock.lock();
        try {
            Path data = uploads.resolve(uploadId).resolve("data");
            long size = sizeOrUnknown(uploadId, data);
            if (size != offset) {
                throw new BlobException(BlobException.Reason.OFFSET_MISMATCH,
                        "upload " + uploadId + " holds " + size + " bytes, a chunk at " + offset + " does not follow",
                        size);
            }
            boolean hashing = state.hashed == size;
            try (FileChannel out = FileChannel.open(data, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                copy(content, out, hashing ? state.sha256 : null, state);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                touchFile(data);
            }
            return upload(uploadId).orElseThrow(() -> unknownUpload(uploadId));
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public BlobInfo complete(String uploadId, Digest expected) {
        UploadState state = state(uploadId);
        state.lock.lock();
        try {
            Path dir = uploads.resolve(uploadId);
            Path data = dir.resolve("data");
            long size = sizeOrUnknown(uploadId, data);
            try {
                Digest actual = expected.algorithm().equals(Digest.SHA256) && state.hashed == size
                        ? Digest.from(Digest.SHA256, state.sha256)
                        : hashFile(data, expected.algorithm());
                if (!actual.equals(expected)) {
                    throw mismatch(expected, actual);
                }
                try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                publish(data, expected);
                return new BlobInfo(expected, size);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                // the tree goes before the state: one holding the state's lock is the only one
                // deleting it (a concurrent expireUploads waits for it, then finds the upload gone)
                deleteTree(dir);
                states.remove(uploadId);
            }
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void cancel(String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            return;
        }
        UploadState state = states.computeIfAbsent(uploadId, id -> new UploadState(-1));
        state.lock.lock();
        try {
            deleteTree(uploads.resolve(uploadId));
            states.remove(uploadId);
        } finally {
            state.lock.unlock();
        }
    }

    // ---- garbage collection ----

    @Override
    public boolean touch(Digest digest) {
        ReentrantLock lock = stripe(digest);
        lock.lock();
        try {
            Files.setLastModifiedTime(path(digest), FileTime.from(clock.instant()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SweepReport sweep(Predicate<Digest> live, Instant cutoff) {
        long examined = 0;
        long deleted = 0;
        long freed = 0;
        for (String algorithm : List.of(Digest.SHA256, Digest.SHA512)) {
            Path base = blobs.resolve(algorithm);
            if (!Files.isDirectory(base)) {
                continue;
            }
            for (Path shard : list(base)) {
                for (Path file : list(shard)) {
                    Optional<Digest> digest = Digest.tryParse(algorithm + ":" + file.getFileName());
                    if (digest.isEmpty()) {
                        continue;
                    }
                    examined++;
                    if (live.test(digest.get())) {
                        continue;
                    }
                    ReentrantLock lock = stripe(digest.get());
                    lock.lock();
                    try {
                        if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                            long size = Files.size(file);
                            Files.delete(file);
                            deleted++;
                            freed += size;
                        }
                    } catch (NoSuchFileException e) {
                        // deleted meanwhile
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
        return new SweepReport(examined, deleted, freed);
    }

    @Override
    public int expireUploads(Instant idleSince) {
        int expired = 0;
        for (Path entry : list(uploads)) {
            String name = entry.getFileName().toString();
            if (!UPLOAD_ID.matcher(name).matches()) {
                continue;
            }
            UploadState state = states.computeIfAbsent(name, id -> new UploadState(-1));
            state.lock.lock();
            try {
                Optional<Upload> upload = upload(name);
                Instant last = upload.map(Upload::updatedAt).orElse(Instant.MIN);
                if (last.isBefore(idleSince)) {
                    deleteTree(entry);
                    states.remove(name);
                    expired++;
                }
            } finally {
                state.lock.unlock();
            }
        }
        return expired;
    }

    @Override
    public void close() {
        states.clear();
    }

    // ---- internals ----

    Path path(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    /** Renames a verified, synced file to the blob's place (or drops it when the blob exists). */
    private void publish(Path file, Digest digest) throws IOException {
        Path target = path(digest);
        ReentrantLock lock = stripe(digest);
        lock.lock();
        try {
            if (Files.exists(target)) {
                Files.setLastModifiedTime(target, FileTime.from(clock.instant()));
                return;
            }
            Path dir = target.getParent();
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir);
                } catch (FileAlreadyExistsException ignored) {
                    // made concurrently
                }
                syncDirectory(dir.getParent());
            }
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
        } finally {
            lock.unlock();
        }
    }

    private UploadState state(String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches() || !Files.isDirectory(uploads.resolve(uploadId))) {
            throw unknownUpload(uploadId);
        }
        return states.computeIfAbsent(uploadId, id -> new UploadState(-1));
    }

    private long sizeOrUnknown(String uploadId, Path data) {
        try {
            return Files.size(data);
        } catch (NoSuchFileException e) {
            throw unknownUpload(uploadId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BlobException unknownUpload(String uploadId) {
        return new BlobException(BlobException.Reason.UPLOAD_UNKNOWN, "upload unknown: " + uploadId);
    }

    private static BlobException mismatch(Digest expected, Digest actual) {
        return new BlobException(BlobException.Reason.DIGEST_MISMATCH,
                "content hashes to " + actual + ", not " + expected);
    }

    /**
     * Copies {@code in} to its end into {@code out}, hashing what was written; keeps {@code state}'s
     * hashed count in step with the bytes written (or invalid when a write failed).
     */
    private static long copy(InputStream in, FileChannel out, MessageDigest hasher, UploadState state)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        boolean end = false;
        while (!end) {
            // fill the buffer (a request body arrives in chunks of a few KiB): one file write and
            // one hash update per buffer, not per chunk; a failure still appends what was read
            int n = 0;
            IOException failure = null;
            while (n < buffer.length) {
                int r;
                try {
                    r = in.read(buffer, n, buffer.length - n);
                } catch (IOException e) {
                    failure = e;
                    break;
                }
                if (r < 0) {
                    end = true;
                    break;
                }
                n += r;
            }
            if (n == 0) {
                if (failure != null) {
                    throw failure;
                }
                continue;
            }
            ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
            try {
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
            } catch (IOException e) {
                if (state != null) {
                    state.hashed = -1;
                }
                throw e;
            }
            if (hasher != null) {
                hasher.update(buffer, 0, n);
                if (state != null) {
                    state.hashed += n;
                }
            } else if (state != null) {
                state.hashed = -1;
            }
            total += n;
            if (failure != null) {
                throw failure;
            }
        }
        return total;
    }

    private static Digest hashFile(Path file, String algorithm) throws IOException {
        MessageDigest hasher = Digest.hasher(algorithm);
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                hasher.update(buffer, 0, n);
            }
        }
        return Digest.from(algorithm, hasher);
    }

    private void touchFile(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        } catch (IOException ignored) {
            // the upload was removed meanwhile
        }
    }

    private ReentrantLock stripe(Digest digest) {
        return stripes[Math.floorMod(digest.hex().hashCode(), STRIPES)];
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some filesystems refuse to sync directories; the rename is still atomic
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Closes {@code channel} after {@code failure}; returns what to throw for it. */
    private static RuntimeException closing(FileChannel channel, Exception failure) {
        closeQuietly(channel);
        return failure instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) failure;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }

    /** An input stream that ends after {@code remaining} bytes of its source. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
