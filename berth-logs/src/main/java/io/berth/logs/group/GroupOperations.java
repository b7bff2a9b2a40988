package io.berth.logs.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.aws.json.JsonOperation;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.logs.LogsJson;
import io.berth.logs.Paging;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The log group operations: create, delete, describe, retention policies and tags (both the
 * deprecated {@code *LogGroup} tag operations and the ARN-based {@code *Resource} ones).
 */
public final class GroupOperations {
    static final int MAX_TAGS = 50;
    private static final String LISTING = "DescribeLogGroups";

    private final LogGroups groups;
    private final InstantSource clock;
    private final Runnable purgeSoon;

    /** @param purgeSoon asks the janitor to purge deleted groups now rather than at its next pass */
    public GroupOperations(LogGroups groups, InstantSource clock, Runnable purgeSoon) {
        this.groups = groups;
        this.clock = clock;
        this.purgeSoon = purgeSoon;
    }

    public Map<String, JsonOperation> operations() {
        Map<String, JsonOperation> ops = new LinkedHashMap<>();
        ops.put("CreateLogGroup", this::createLogGroup);
        ops.put("DeleteLogGroup", this::deleteLogGroup);
        ops.put("DescribeLogGroups", this::describeLogGroups);
        ops.put("PutRetentionPolicy", this::putRetentionPolicy);
        ops.put("DeleteRetentionPolicy", this::deleteRetentionPolicy);
        ops.put("TagLogGroup", this::tagLogGroup);
        ops.put("UntagLogGroup", this::untagLogGroup);
        ops.put("ListTagsLogGroup", this::listTagsLogGroup);
        ops.put("TagResource", this::tagResource);
        ops.put("UntagResource", this::untagResource);
        ops.put("ListTagsForResource", this::listTagsForResource);
        return ops;
    }

    ObjectNode createLogGroup(RequestContext context, ObjectNode in) {
        String name = in.get("logGroupName").asText();
        Map<String, String> tags = tags(in.get("tags"));
        checkTagCount(tags.size());
        if (groups.find(name).isPresent()) {
            throw LogGroups.alreadyExists();
        }
        JsonNode protection = in.get("deletionProtectionEnabled");
        groups.create(name, LogsJson.text(in, "kmsKeyId"), LogsJson.text(in, "logGroupClass"), tags,
                protection == null ? null : protection.asBoolean(), clock.millis());
        return LogsJson.object();
    }

    ObjectNode deleteLogGroup(RequestContext context, ObjectNode in) {
        String name = in.get("logGroupName").asText();
        LogGroup group = groups.require(name);
        if (Boolean.TRUE.equals(group.deletionProtectionEnabled())) {
            throw new BerthException(ErrorCode.CLIENT,
                    "Log group " + name + " has deletion protection enabled.");
        }
        groups.delete(name);
        purgeSoon.run();
        return LogsJson.object();
    }

    ObjectNode describeLogGroups(RequestContext context, ObjectNode in) {
        String prefix = LogsJson.text(in, "logGroupNamePrefix");
        String pattern = LogsJson.text(in, "logGroupNamePattern");
        if (prefix != null && pattern != null) {
            throw BerthException.invalidParameter(
                    "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        String logGroupClass = LogsJson.text(in, "logGroupClass");
        int limit = Paging.limit(LogsJson.integer(in, "limit"), 50);
        String after = Paging.afterKey(LISTING, LogsJson.text(in, "nextToken"));
        List<String> identifiers = new ArrayList<>();
        if (in.has("logGroupIdentifiers")) {
            in.get("logGroupIdentifiers").forEach(i -> identifiers.add(groups.nameOf(i.asText())));
        }
        String needle = pattern == null ? null : pattern.toLowerCase(Locale.ROOT);

        List<LogGroup> page = new ArrayList<>();
        boolean more = false;
        String cursor = after;
        scan:
        while (true) {
            List<LogGroup> batch = groups.page(prefix, cursor, 200);
            for (LogGroup g : batch) {
                cursor = g.name();
                boolean matches = (needle == null || g.name().toLowerCase(Locale.ROOT).contains(needle))
                        && (logGroupClass == null || logGroupClass.equals(g.logGroupClass()))
                        && (identifiers.isEmpty() || identifiers.contains(g.name()));
                if (!matches) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break scan;
                }
                page.add(g);
            }
            if (batch.size() < 200) {
                break;
            }
        }
        ObjectNode out = LogsJson.object();
        ArrayNode list = out.putArray("logGroups");
        page.forEach(g -> list.add(describe(g)));
        if (more) {
            out.put("nextToken", Paging.token(LISTING, page.get(page.size() - 1).name()));
        }
        return out;
    }

    ObjectNode describe(LogGroup g) {
        ObjectNode o = LogsJson.object();
        o.put("logGroupName", g.name());
        o.put("creationTime", g.creationTime());
        if (g.retentionInDays() != null) {
            o.put("retentionInDays", g.retentionInDays());
        }
        o.put("metricFilterCount", 0);
        o.put("arn", groups.arn(g.name()));
        o.put("storedBytes", g.storedBytes());
        if (g.kmsKeyId() != null) {
            o.put("kmsKeyId", g.kmsKeyId());
        }
        o.put("logGroupClass", g.logGroupClass());
        o.put("logGroupArn", groups.logGroupArn(g.name()));
        if (g.deletionProtectionEnabled() != null) {
            o.put("deletionProtectionEnabled", g.deletionProtectionEnabled());
        }
        return o;
    }

    ObjectNode putRetentionPolicy(RequestContext context, ObjectNode in) {
        int days = RetentionDays.check(in.get("retentionInDays").asInt());
        groups.update(in.get("logGroupName").asText(), g -> g.withRetention(days));
        return LogsJson.object();
    }

    ObjectNode deleteRetentionPolicy(RequestContext context, ObjectNode in) {
        groups.update(in.get("logGroupName").asText(), g -> g.withRetention(null));
        return LogsJson.object();
    }

    ObjectNode tagLogGroup(RequestContext context, ObjectNode in) {
        addTags(in.get("logGroupName").asText(), tags(in.get("tags")));
        return LogsJson.object();
    }

    ObjectNode untagLogGroup(RequestContext context, ObjectNode in) {
        removeTags(in.get("logGroupName").asText(), keys(in.get("tags")));
        return LogsJson.object();
    }

    ObjectNode listTagsLogGroup(RequestContext context, ObjectNode in) {
        return tagsOutput(groups.require(in.get("logGroupName").asText()));
    }

    ObjectNode tagResource(RequestContext context, ObjectNode in) {
        addTags(resource(in), tags(in.get("tags")));
        return LogsJson.object();
    }

    ObjectNode untagResource(RequestContext context, ObjectNode in) {
        removeTags(resource(in), keys(in.get("tagKeys")));
        return LogsJson.object();
    }

    ObjectNode listTagsForResource(RequestContext context, ObjectNode in) {
        return tagsOutput(groups.require(resource(in)));
    }

    /** The group a tagging request's {@code resourceArn} names (only log groups carry tags in Berth). */
    private String resource(ObjectNode in) {
        String arn = in.get("resourceArn").asText();
        if (!arn.startsWith("arn:")) {
            throw BerthException.invalidParameter("Invalid resourceArn: " + arn);
        }
        try {
            return groups.nameOf(arn);
        } catch (BerthException e) {
            if (e.code() == ErrorCode.INVALID_PARAMETER) {
                throw new BerthException(ErrorCode.RESOURCE_NOT_FOUND,
                        "The specified resource does not exist: " + arn);
            }
            throw e;
        }
    }

    private void addTags(String name, Map<String, String> add) {
        groups.update(name, g -> {
            Map<String, String> next = new TreeMap<>(g.tags());
            next.putAll(add);
            checkTagCount(next.size());
            return g.withTags(next);
        });
    }

    private void removeTags(String name, List<String> keys) {
        groups.update(name, g -> {
            Map<String, String> next = new TreeMap<>(g.tags());
            keys.forEach(next::remove);
            return g.withTags(next);
        });
    }

    private static ObjectNode tagsOutput(LogGroup g) {
        ObjectNode out = LogsJson.object();
        ObjectNode tags = out.putObject("tags");
        new TreeMap<>(g.tags()).forEach(tags::put);
        return out;
    }

    private static void checkTagCount(int count) {
        if (count > MAX_TAGS) {
            throw BerthException.invalidParameter("A resource can have no more than " + MAX_TAGS + " tags.");
        }
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new TreeMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        }
        return tags;
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        Optional.ofNullable(node).ifPresent(n -> n.forEach(k -> keys.add(k.asText())));
        return keys;
    }
}
