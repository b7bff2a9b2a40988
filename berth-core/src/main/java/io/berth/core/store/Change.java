package io.berth.core.store;

/**
 * One committed write as the change feed delivers it. Sequences are dense, start at 1 and follow
 * commit order; the mutations of one transaction carry consecutive sequences. {@code value} is null
 * for a delete, and {@code version} is then the version that was deleted.
 */
public record Change(long sequence, String kind, String key, long version, byte[] value) {
    public boolean deleted() {
        return value == null;
    }
}
