package io.berth.logs.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.aws.json.JsonOperation;
import io.berth.core.error.BerthException;
import io.berth.logs.LogsJson;
import io.berth.logs.filter.FilterPattern;
import io.berth.logs.group.LogGroup;
import io.berth.logs.group.LogGroups;
import io.berth.logs.stream.LogStream;
import io.berth.logs.stream.LogStreams;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** PutLogEvents, GetLogEvents and FilterLogEvents. */
public final class EventOperations {
    static final int MAX_EVENTS = 10_000;
    static final long MAX_RESPONSE_BYTES = 1_048_576;

    private final LogGroups groups;
    private final LogStreams streams;
    private final EventLog log;
    private final InstantSource clock;

    public EventOperations(LogGroups groups, LogStreams streams, EventLog log, InstantSource clock) {
        this.groups = groups;
        this.streams = streams;
        this.log = log;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        Map<String, JsonOperation> ops = new LinkedHashMap<>();
        ops.put("PutLogEvents", this::putLogEvents);
        ops.put("GetLogEvents", this::getLogEvents);
        ops.put("FilterLogEvents", this::filterLogEvents);
        return ops;
    }

    // ---- PutLogEvents --------------------------------------------------------------------------

    ObjectNode putLogEvents(RequestContext context, ObjectNode in) {
        LogGroup group = groups.require(in.get("logGroupName").asText());
        String streamName = in.get("logStreamName").asText();
        List<InputEvent> events = new ArrayList<>();
        for (JsonNode e : in.get("logEvents")) {
            events.add(new InputEvent(e.get("timestamp").asLong(), e.get("message").asText()));
        }
        long now = clock.millis();
        BatchRules.Verdict verdict = BatchRules.check(events, now, group.expiredBefore(now));
        BatchId batch = BatchId.parse(LogsJson.text(in, "sequenceToken")).orElse(null);
        EventLog.Appended appended = log.append(group, streamName, events.subList(verdict.from(), verdict.to()),
                batch, now);
        ObjectNode out = LogsJson.object();
        out.put("nextSequenceToken", appended.stream().uploadSequenceToken());
        if (verdict.rejectedAny()) {
            ObjectNode rejected = out.putObject("rejectedLogEventsInfo");
            if (verdict.tooNewStart() != null) {
                rejected.put("tooNewLogEventStartIndex", verdict.tooNewStart());
            }
            if (verdict.tooOldEnd() != null) {
                rejected.put("tooOldLogEventEndIndex", verdict.tooOldEnd());
            }
            if (verdict.expiredEnd() != null) {
                rejected.put("expiredLogEventEndIndex", verdict.expiredEnd());
            }
        }
        return out;
    }

    // ---- GetLogEvents --------------------------------------------------------------------------

    ObjectNode getLogEvents(RequestContext context, ObjectNode in) {
        LogGroup group = groups.resolve(LogsJson.text(in, "logGroupName"), LogsJson.text(in, "logGroupIdentifier"));
        LogStream stream = streams.require(group, in.get("logStreamName").asText());
        long start = in.has("startTime") ? in.get("startTime").asLong() : Long.MIN_VALUE;
        long end = in.has("endTime") ? in.get("endTime").asLong() : Long.MAX_VALUE; // exclusive
        int limit = in.has("limit") ? in.get("limit").asInt() : MAX_EVENTS;
        String token = LogsJson.text(in, "nextToken");
        long endPosition = StoredEvent.position(stream.lastChunk() + 1, 0);

        boolean forward;
        long anchor;
        if (token != null) {
            forward = token.startsWith("f/");
            if (!forward && !token.startsWith("b/")) {
                throw invalidToken();
            }
            anchor = position(token);
        } else if (in.path("startFromHead").asBoolean(false)) {
            forward = true;
            anchor = 0;
        } else {
            forward = false;
            anchor = endPosition;
        }
        List<ChunkIndex> chunks = new ArrayList<>();
        for (ChunkIndex index : log.indexes(stream.id())) {
            if (index.count() > 0 && start < end && index.overlaps(start, end - 1)) {
                chunks.add(index);
            }
        }
        List<StoredEvent> events = forward
                ? forward(stream, chunks, anchor, start, end, limit)
                : backward(stream, chunks, anchor, start, end, limit);

        ObjectNode out = LogsJson.object();
        ArrayNode list = out.putArray("events");
        for (StoredEvent e : events) {
            ObjectNode o = list.addObject();
            o.put("timestamp", e.timestamp());
            o.put("message", e.message());
            o.put("ingestionTime", e.ingestionTime());
        }
        long nextForward = events.isEmpty() ? anchor : events.get(events.size() - 1).position() + 1;
        long nextBackward = events.isEmpty() ? anchor : events.get(0).position();
        out.put("nextForwardToken", "f/" + String.format("%020d", nextForward));
        out.put("nextBackwardToken", "b/" + String.format("%020d", nextBackward));
        return out;
    }

    private List<StoredEvent> forward(LogStream stream, List<ChunkIndex> chunks, long anchor, long start, long end,
                                      int limit) {
        List<StoredEvent> out = new ArrayList<>();
        long bytes = 0;
        for (ChunkIndex index : chunks) {
            if (index.chunk() < anchor / StoredEvent.PER_CHUNK) {
                continue;
            }
            for (StoredEvent e : log.chunk(stream.id(), index.chunk())) {
                if (e.position() < anchor || e.timestamp() < start || e.timestamp() >= end) {
                    continue;
                }
                if (out.size() >= limit || bytes + e.size() > MAX_RESPONSE_BYTES) {
                    return out;
                }
                out.add(e);
                bytes += e.size();
            }
        }
        return out;
    }

    private List<StoredEvent> backward(LogStream stream, List<ChunkIndex> chunks, long anchor, long start, long end,
                                       int limit) {
        Deque<StoredEvent> out = new ArrayDeque<>();
        long bytes = 0;
        for (int c = chunks.size() - 1; c >= 0; c--) {
            ChunkIndex index = chunks.get(c);
            if (index.chunk() > anchor / StoredEvent.PER_CHUNK) {
                continue;
            }
            List<StoredEvent> events = log.chunk(stream.id(), index.chunk());
            for (int i = events.size() - 1; i >= 0; i--) {
                StoredEvent e = events.get(i);
                if (e.position() >= anchor || e.timestamp() < start || e.timestamp() >= end) {
                    continue;
                }
                if (out.size() >= limit || bytes + e.size() > MAX_RESPONSE_BYTES) {
                    return List.copyOf(out);
                }
                out.addFirst(e);
                bytes += e.size();
            }
        }
        return List.copyOf(out);
    }

    private static long position(String token) {
        String digits = token.substring(2);
        if (digits.endsWith("/s")) {
            digits = digits.substring(0, digits.length() - 2);
        }
        if (digits.isEmpty() || digits.length() > 20 || !digits.chars().allMatch(Character::isDigit)) {
            throw invalidToken();
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw invalidToken();
        }
    }

    private static BerthException invalidToken() {
        return BerthException.invalidParameter("The specified nextToken is invalid.");
    }

    // ---- FilterLogEvents -----------------------------------------------------------------------

    ObjectNode filterLogEvents(RequestContext context, ObjectNode in) {
        LogGroup group = groups.resolve(LogsJson.text(in, "logGroupName"), LogsJson.text(in, "logGroupIdentifier"));
        String prefix = LogsJson.text(in, "logStreamNamePrefix");
        JsonNode names = in.get("logStreamNames");
        if (prefix != null && names != null) {
            throw BerthException.invalidParameter(
                    "Cannot specify both logStreamNames and logStreamNamePrefix in the same request.");
        }
        List<LogStream> candidates;
        if (names != null) {
            candidates = new ArrayList<>();
            for (JsonNode n : names) {
                streams.find(group, n.asText()).ifPresent(candidates::add);
            }
        } else {
            candidates = streams.all(group, prefix);
        }
        long start = in.has("startTime") ? in.get("startTime").asLong() : Long.MIN_VALUE;
        long end = in.has("endTime") ? in.get("endTime").asLong() : Long.MAX_VALUE; // inclusive
        int limit = in.has("limit") ? in.get("limit").asInt() : MAX_EVENTS;
        Predicate<String> pattern = FilterPattern.compile(LogsJson.text(in, "filterPattern"));
        String token = LogsJson.text(in, "nextToken");
        FilterSearch.Key after = token == null ? null : FilterSearch.Key.parse(token);

        FilterSearch.Page page = FilterSearch.search(log, candidates, start, end, pattern, after, limit);
        ObjectNode out = LogsJson.object();
        ArrayNode events = out.putArray("events");
        for (FilterSearch.Hit hit : page.hits()) {
            ObjectNode o = events.addObject();
            o.put("logStreamName", hit.stream().name());
            o.put("timestamp", hit.event().timestamp());
            o.put("message", hit.event().message());
            o.put("ingestionTime", hit.event().ingestionTime());
            o.put("eventId", eventId(hit.stream(), hit.event()));
        }
        out.putArray("searchedLogStreams");
        if (page.resumeAfter() != null) {
            out.put("nextToken", page.resumeAfter().token());
        }
        return out;
    }

    /** 36 digits, unique in the group: the stream's id, the chunk and the index in it. */
    static String eventId(LogStream stream, StoredEvent e) {
        String id = Long.toUnsignedString(Long.parseUnsignedLong(stream.id(), 16));
        return "0".repeat(20 - id.length()) + id + String.format("%010d%06d", e.chunk(),
                e.position() % StoredEvent.PER_CHUNK);
    }
}
