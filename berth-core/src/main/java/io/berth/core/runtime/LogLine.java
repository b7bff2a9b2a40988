package io.berth.core.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * One line a container wrote to stdout or stderr, as the engine recorded it.
 *
 * @param timestamp when the engine received it (nanosecond precision on Docker)
 * @param text the line without its line end
 * @param partial the engine split a longer line here (Docker: at 16 KiB); its text goes on in the next
 *     line of the same stream
 */
public record LogLine(Instant timestamp, boolean stderr, String text, boolean partial) {
    public LogLine {
        Objects.requireNonNull(timestamp);
        Objects.requireNonNull(text);
    }
}
