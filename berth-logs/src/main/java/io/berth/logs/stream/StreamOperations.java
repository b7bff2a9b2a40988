package io.berth.logs.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.aws.json.JsonOperation;
import io.berth.core.error.BerthException;
import io.berth.logs.LogsJson;
import io.berth.logs.Paging;
import io.berth.logs.group.LogGroup;
import io.berth.logs.group.LogGroups;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CreateLogStream, DeleteLogStream and DescribeLogStreams. */
public final class StreamOperations {
    private final LogGroups groups;
    private final LogStreams streams;
    private final InstantSource clock;
    private final Runnable purgeSoon;

    public StreamOperations(LogGroups groups, LogStreams streams, InstantSource clock, Runnable purgeSoon) {
        this.groups = groups;
        this.streams = streams;
        this.clock = clock;
        this.purgeSoon = purgeSoon;
    }

    public Map<String, JsonOperation> operations() {
        Map<String, JsonOperation> ops = new LinkedHashMap<>();
        ops.put("CreateLogStream", this::createLogStream);
        ops.put("DeleteLogStream", this::deleteLogStream);
        ops.put("DescribeLogStreams", this::describeLogStreams);
        return ops;
    }

    ObjectNode createLogStream(RequestContext context, ObjectNode in) {
        LogGroup group = groups.require(in.get("logGroupName").asText());
        String name = in.get("logStreamName").asText();
        if (streams.find(group, name).isPresent()) {
            throw LogStreams.alreadyExists();
        }
        streams.create(group, name, clock.millis());
        return LogsJson.object();
    }

    ObjectNode deleteLogStream(RequestContext context, ObjectNode in) {
        LogGroup group = groups.require(in.get("logGroupName").asText());
        streams.delete(group, in.get("logStreamName").asText());
        purgeSoon.run();
        return LogsJson.object();
    }

    ObjectNode describeLogStreams(RequestContext context, ObjectNode in) {
        LogGroup group = groups.resolve(LogsJson.text(in, "logGroupName"), LogsJson.text(in, "logGroupIdentifier"));
        String prefix = LogsJson.text(in, "logStreamNamePrefix");
        String orderBy = in.has("orderBy") ? in.get("orderBy").asText() : "LogStreamName";
        boolean descending = in.path("descending").asBoolean(false);
        if ("LastEventTime".equals(orderBy) && prefix != null) {
            throw BerthException.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        int limit = Paging.limit(LogsJson.integer(in, "limit"), 50);
        String listing = "DescribeLogStreams/" + group.id() + "/" + orderBy + "/" + descending;
        String after = Paging.afterKey(listing, LogsJson.text(in, "nextToken"));

        List<LogStream> page;
        boolean more;
        if ("LogStreamName".equals(orderBy) && !descending) {
            page = new ArrayList<>(streams.page(group, prefix, after, limit + 1));
            more = page.size() > limit;
        } else {
            List<LogStream> all = new ArrayList<>(streams.all(group, prefix));
            Comparator<LogStream> order = "LastEventTime".equals(orderBy)
                    ? Comparator.comparingLong((LogStream s) -> s.lastEventTimestamp() == null ? 0
                            : s.lastEventTimestamp()).thenComparing(LogStream::name)
                    : Comparator.comparing(LogStream::name);
            all.sort(descending ? order.reversed() : order);
            int from = 0;
            if (after != null) {
                for (int i = 0; i < all.size(); i++) {
                    if (all.get(i).name().equals(after)) {
                        from = i + 1;
                        break;
                    }
                }
            }
            page = new ArrayList<>(all.subList(Math.min(from, all.size()), Math.min(all.size(), from + limit + 1)));
            more = page.size() > limit;
        }
        if (more) {
            page = page.subList(0, limit);
        }
        ObjectNode out = LogsJson.object();
        ArrayNode list = out.putArray("logStreams");
        for (LogStream s : page) {
            list.add(describe(group, s));
        }
        if (more) {
            out.put("nextToken", Paging.token(listing, page.get(page.size() - 1).name()));
        }
        return out;
    }

    private ObjectNode describe(LogGroup group, LogStream s) {
        ObjectNode o = LogsJson.object();
        o.put("logStreamName", s.name());
        o.put("creationTime", s.creationTime());
        if (s.firstEventTimestamp() != null) {
            o.put("firstEventTimestamp", s.firstEventTimestamp());
            o.put("lastEventTimestamp", s.lastEventTimestamp());
        }
        if (s.lastIngestionTime() != null) {
            o.put("lastIngestionTime", s.lastIngestionTime());
        }
        o.put("uploadSequenceToken", s.uploadSequenceToken());
        o.put("arn", groups.streamArn(group.name(), s.name()));
        o.put("storedBytes", 0); // deprecated for streams: AWS reports 0 since 2019
        return o;
    }
}
