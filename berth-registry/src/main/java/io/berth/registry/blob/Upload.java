package io.berth.registry.blob;

import java.time.Instant;
import java.util.Objects;

/**
 * An upload in progress: its id, the label its creator gave it ({@code owner}, e.g. the repository),
 * how many bytes it holds ({@code offset}, where the next chunk must start), when it started and
 * when it last received bytes.
 */
public record Upload(String id, String owner, long offset, Instant startedAt, Instant updatedAt) {
    public Upload {
        Objects.requireNonNull(id);
        Objects.requireNonNull(owner);
        Objects.requireNonNull(startedAt);
        Objects.requireNonNull(updatedAt);
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
    }
}
