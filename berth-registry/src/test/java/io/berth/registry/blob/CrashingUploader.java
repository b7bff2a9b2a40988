package io.berth.registry.blob;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The child process of {@link FileBlobStoreCrashTest}: opens a {@link FileBlobStore} on {@code DIR}
 * and, at once, (1) puts {@link #PUT} monolithically and (2) uploads {@link #UPLOAD} in chunks: a
 * first chunk of {@link #FIRST_CHUNK} bytes, then the rest in a second chunk. Both streams hand over
 * their first {@link #FAST} bytes at once and then trickle, so the test finds each half-written on
 * disk and kills this process there. A small blob, {@link #BEFORE}, is put completely first.
 *
 * <pre>java -cp ... io.berth.registry.blob.CrashingUploader DIR</pre>
 */
public final class CrashingUploader {
    public static final int SIZE = 16 * 1024 * 1024;
    public static final int FAST = 4 * 1024 * 1024;
    public static final int FIRST_CHUNK = 3 * 1024 * 1024;
    public static final byte[] PUT = content(1);
    public static final byte[] UPLOAD = content(2);
    /** A blob put (and so complete and durable) before the slow uploads start. */
    public static final byte[] BEFORE = "complete before the crash".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private CrashingUploader() {
    }

    public static byte[] content(long seed) {
        byte[] b = new byte[SIZE];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static void main(String[] args) throws Exception {
        FileBlobStore store = FileBlobStore.open(Path.of(args[0]), InstantSource.system());
        store.put(Digest.sha256(BEFORE), new java.io.ByteArrayInputStream(BEFORE));
        Thread put = Thread.ofPlatform().start(() -> {
            System.out.println("put started");
            store.put(Digest.sha256(PUT), slow(PUT, 0));
            System.out.println("put finished (the test should have killed us before)");
        });
        Upload upload = store.startUpload("crash/test");
        store.append(upload.id(), 0, new java.io.ByteArrayInputStream(Arrays.copyOf(UPLOAD, FIRST_CHUNK)));
        System.out.println("upload " + upload.id() + " holds " + FIRST_CHUNK);
        store.append(upload.id(), FIRST_CHUNK, slow(UPLOAD, FIRST_CHUNK));
        System.out.println("upload finished (the test should have killed us before)");
        put.join();
    }

    /** {@code content} from {@code from}: {@link #FAST} bytes at once, then 4 KiB every 10 ms. */
    private static InputStream slow(byte[] content, int from) {
        return new InputStream() {
            private int pos = from;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= content.length) {
                    return -1;
                }
                int n = Math.min(len, content.length - pos);
                if (pos - from >= FAST) {
                    n = Math.min(n, 4096);
                    pause();
                } else {
                    n = Math.min(n, from + FAST - pos);
                }
                System.arraycopy(content, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
