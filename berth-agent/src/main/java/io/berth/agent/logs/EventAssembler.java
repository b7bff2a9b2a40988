package io.berth.agent.logs;

import io.berth.core.runtime.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a container's lines into log events as Docker's awslogs driver does: lines the engine split
 * (partial) are joined again; with an event-start pattern (awslogs-datetime-format or
 * awslogs-multiline-pattern), a line matching it begins an event and the lines after it are part of
 * it (joined with a line feed) until the next one; empty lines alone are not events; an event longer
 * than {@link #MAX_EVENT_BYTES} is cut into several. Each event carries the cursor after its last line,
 * so that a batch of events knows where reading must resume if it is the last one stored.
 *
 * <p>Not thread-safe: its owner serialises calls.
 */
final class EventAssembler {
    /** Docker's awslogs driver: 256 KiB minus the 26 bytes CloudWatch counts per event. */
    static final int MAX_EVENT_BYTES = 262_144 - 26;

    /** One event: epoch milliseconds of its first line, its message, the cursor after its last line. */
    record Event(long timestamp, String message, Cursor cursorAfter) {
    }

    private final Pattern eventStart;
    private final StringBuilder partial = new StringBuilder();
    private Instant partialTimestamp;
    private StringBuilder pending;
    private int pendingBytes;
    private long pendingTimestamp;
    private Instant pendingSince;
    private Cursor pendingCursor;

    EventAssembler(Pattern eventStart) {
        this.eventStart = eventStart;
    }

    /** Takes one line (with the cursor after it); returns the events it completed. */
    List<Event> add(LogLine line, Cursor cursorAfter) {
        List<Event> out = new ArrayList<>(1);
        if (line.partial()) {
            if (partial.isEmpty()) {
                partialTimestamp = line.timestamp();
            }
            partial.append(line.text());
            return out;
        }
        String text = line.text();
        Instant at = line.timestamp();
        if (!partial.isEmpty()) {
            text = partial.append(text).toString();
            at = partialTimestamp;
            partial.setLength(0);
        }
        if (eventStart == null) {
            if (!text.isEmpty()) {
                emit(out, at.toEpochMilli(), text, cursorAfter);
            }
            return out;
        }
        if (eventStart.matcher(text).find() || pending == null) {
            flushInto(out);
            if (text.isEmpty()) {
                return out;
            }
            begin(text, at);
        } else {
            int bytes = utf8(text);
            if (pendingBytes + 1 + bytes > MAX_EVENT_BYTES) {
                flushInto(out);
                begin(text, at);
            } else {
                pending.append('\n').append(text);
                pendingBytes += 1 + bytes;
            }
        }
        pendingCursor = cursorAfter;
        return out;
    }

    private void begin(String text, Instant at) {
        pending = new StringBuilder(text);
        pendingBytes = utf8(text);
        pendingTimestamp = at.toEpochMilli();
        pendingSince = at;
    }

    /** The multi-line event in progress, if any, as complete (the flush interval passed, or the end). */
    List<Event> flush() {
        List<Event> out = new ArrayList<>(1);
        flushInto(out);
        return out;
    }

    /** When the multi-line event in progress began (engine time), or null. */
    Instant pendingSince() {
        return pending == null ? null : pendingSince;
    }

    private void flushInto(List<Event> out) {
        if (pending != null) {
            emit(out, pendingTimestamp, pending.toString(), pendingCursor);
            pending = null;
            pendingSince = null;
        }
    }

    private static void emit(List<Event> out, long timestamp, String message, Cursor cursor) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_EVENT_BYTES) {
            out.add(new Event(timestamp, message, cursor));
            return;
        }
        int from = 0;
        while (from < message.length()) {
            int to = cut(message, from);
            out.add(new Event(timestamp, message.substring(from, to), cursor));
            from = to;
        }
    }

    /** The end of the longest piece from {@code from} within the byte limit, not splitting a surrogate pair. */
    private static int cut(String s, int from) {
        int bytes = 0;
        int i = from;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > MAX_EVENT_BYTES) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return i;
    }

    private static int utf8(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
