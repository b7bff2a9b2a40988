package io.berth.registry.blob;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Writes bytes at the end of a file: whole, aligned blocks with {@code O_DIRECT}, past the page
 * cache, and only the unaligned head and tail of each write through it (ADR 0005). Uploaded blobs
 * are written once and read later, if at all; putting them through the page cache costs a page
 * allocation per 4 KiB that, on a virtual machine whose free memory goes back to the host, is most
 * of a push's CPU. Where the file system refuses {@code O_DIRECT} (tmpfs), every write is
 * buffered. Both channels write the same file; a block is only ever written through one of them.
 * Not thread-safe; {@link #force} makes everything written durable.
 */
final class FileAppender implements AutoCloseable {
    private static final ArrayBlockingQueue<ByteBuffer> POOL = new ArrayBlockingQueue<>(16);

    private final FileChannel buffered;
    private final FileChannel direct;
    private final int block;
    private final int capacity;
    private ByteBuffer aligned;
    private long position;

    private FileAppender(FileChannel buffered, FileChannel direct, int block, int capacity, long position) {
        this.buffered = buffered;
        this.direct = direct;
        this.block = block;
        this.capacity = capacity;
        this.position = position;
    }

    /**
     * Opens {@code file} (created when {@code create}) for appending; {@code block} is the direct
     * I/O block size, 0 for buffered writes only; {@code capacity} bounds a single {@link #write}.
     */
    static FileAppender open(Path file, boolean create, int block, int capacity) throws IOException {
        FileChannel buffered = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.WRITE);
        if (block == 0) {
            return new FileAppender(buffered, null, 0, capacity, buffered.size());
        }
        try {
            FileChannel direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            return new FileAppender(buffered, direct, block, capacity, buffered.size());
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    /**
     * The direct I/O block size of the file system holding {@code dir}, or 0 when it refuses
     * {@code O_DIRECT} (found by writing one block to a scratch file there).
     */
    static int directBlockSize(Path dir) {
        Path probe = dir.resolve(".direct-probe");
        try {
            int size = Math.toIntExact(Files.getFileStore(dir).getBlockSize());
            ByteBuffer one = ByteBuffer.allocateDirect(2 * size).alignedSlice(size).limit(size);
            try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT)) {
                ch.write(one, 0);
            }
            return size;
        } catch (IOException | RuntimeException e) {
            return 0;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a leftover probe is harmless
            }
        }
    }

    /** Appends {@code len} bytes of {@code b} from {@code off}; at most the capacity given at open. */
    void write(byte[] b, int off, int len) throws IOException {
        if (direct == null) {
            writeBuffered(b, off, len);
            return;
        }
        int head = (int) Math.min(len, Math.floorMod(-position, (long) block));
        writeBuffered(b, off, head);
        int body = (len - head) / block * block;
        if (body > 0) {
            if (aligned == null) {
                aligned = borrow();
            }
            aligned.clear().put(b, off + head, body).flip();
            while (aligned.hasRemaining()) {
                position += direct.write(aligned, position);
            }
        }
        writeBuffered(b, off + head + body, len - head - body);
    }

    /** Flushes what was written, data and metadata, to the device. */
    void force() throws IOException {
        buffered.force(true);
    }

    @Override
    public void close() throws IOException {
        try (buffered; direct) {
            if (aligned != null) {
                POOL.offer(aligned);
                aligned = null;
            }
        }
    }

    private void writeBuffered(byte[] b, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        while (bb.hasRemaining()) {
            position += buffered.write(bb, position);
        }
    }

    private ByteBuffer borrow() {
        ByteBuffer pooled = POOL.poll();
        if (pooled != null && pooled.capacity() >= capacity && pooled.alignmentOffset(0, block) == 0) {
            return pooled;
        }
        return ByteBuffer.allocateDirect(capacity + block).alignedSlice(block);
    }
}
