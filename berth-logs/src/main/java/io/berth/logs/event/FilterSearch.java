package io.berth.logs.event;

import io.berth.core.error.BerthException;
import io.berth.logs.stream.LogStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * One page of FilterLogEvents: the events of several streams in [start, end], interleaved in
 * timestamp order, that match a pattern, after the last one the previous page ended at.
 *
 * <p>A k-way merge over chunks: every chunk that may hold events of the range enters a queue keyed by
 * its smallest timestamp, unread; when it reaches the head it is read, its events sorted by
 * timestamp, and it goes on as a cursor keyed by its next event. So only the chunks the page reaches
 * are read, and events are in (timestamp, stream name, position) order even when a producer's
 * batches overlap in time. Pagination is stateless: the token is the key of the last event examined.
 */
final class FilterSearch {
    static final long MAX_PAGE_BYTES = 1_048_576;
    static final int MAX_EXAMINED = 250_000;

    /** The total order of a search: timestamp, then stream name, then position in the stream. */
    record Key(long timestamp, String stream, long position) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::timestamp)
                .thenComparing(Key::stream).thenComparingLong(Key::position);

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }

        String token() {
            String text = timestamp + "|" + position + "|" + stream;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Key parse(String token) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                String[] parts = text.split("\\|", 3);
                return new Key(Long.parseLong(parts[0]), parts[2], Long.parseLong(parts[1]));
            } catch (RuntimeException e) {
                throw BerthException.invalidParameter("The specified nextToken is invalid.");
            }
        }
    }

    record Hit(LogStream stream, StoredEvent event) {
    }

    /** @param resumeAfter null when the search is complete */
    record Page(List<Hit> hits, Key resumeAfter) {
    }

    private sealed interface Entry permits Pending, Cursor {
        Key key();
    }

    private record Pending(LogStream stream, ChunkIndex index, Key key) implements Entry {
    }

    private static final class Cursor implements Entry {
        final LogStream stream;
        final List<StoredEvent> events;
        int next;

        Cursor(LogStream stream, List<StoredEvent> events) {
            this.stream = stream;
            this.events = events;
        }

        @Override
        public Key key() {
            StoredEvent e = events.get(next);
            return new Key(e.timestamp(), stream.name(), e.position());
        }
    }

    private FilterSearch() {
    }

    static Page search(EventLog log, List<LogStream> streams, long start, long end, Predicate<String> pattern,
                       Key after, int limit) {
        PriorityQueue<Entry> queue = new PriorityQueue<>(Comparator.comparing(Entry::key));
        long from = after == null ? start : Math.max(start, after.timestamp());
        for (LogStream s : streams) {
            if (s.lastEventTimestamp() == null || s.lastEventTimestamp() < from || s.firstEventTimestamp() > end) {
                continue;
            }
            for (ChunkIndex index : log.indexes(s.id())) {
                if (index.count() > 0 && index.overlaps(from, end)) {
                    queue.add(new Pending(s, index, new Key(index.minTimestamp(), s.name(),
                            StoredEvent.position(index.chunk(), 0))));
                }
            }
        }
        List<Hit> hits = new ArrayList<>();
        long bytes = 0;
        int examined = 0;
        Key last = null;
        while (!queue.isEmpty()) {
            if (hits.size() >= limit || bytes >= MAX_PAGE_BYTES || examined >= MAX_EXAMINED) {
                return new Page(hits, last);
            }
            Entry head = queue.poll();
            if (head instanceof Pending p) {
                List<StoredEvent> events = new ArrayList<>();
                for (StoredEvent e : log.chunk(p.stream().id(), p.index().chunk())) {
                    if (e.timestamp() < start || e.timestamp() > end) {
                        continue;
                    }
                    if (after != null && new Key(e.timestamp(), p.stream().name(), e.position()).compareTo(after) <= 0) {
                        continue;
                    }
                    events.add(e);
                }
                if (!events.isEmpty()) {
                    events.sort(Comparator.comparingLong(StoredEvent::timestamp)
                            .thenComparingLong(StoredEvent::position));
                    queue.add(new Cursor(p.stream(), events));
                }
                continue;
            }
            Cursor c = (Cursor) head;
            StoredEvent e = c.events.get(c.next);
            last = c.key();
            examined++;
            if (pattern.test(e.message())) {
                hits.add(new Hit(c.stream, e));
                bytes += e.size();
            }
            c.next++;
            if (c.next < c.events.size()) {
                queue.add(c);
            }
        }
        return new Page(hits, null);
    }
}
