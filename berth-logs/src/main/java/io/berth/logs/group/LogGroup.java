package io.berth.logs.group;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A log group as stored (kind {@code logs.group}, key: its name).
 *
 * @param id names the store keys of its streams ({@code <id>:<stream name>}), so a group created again
 *     under the same name starts empty even while the old one's data is still being purged
 * @param creationTime epoch milliseconds
 * @param retentionInDays null: events are kept forever
 * @param storedBytes as of the janitor's last pass (AWS too updates it periodically)
 */
public record LogGroup(String id, String name, long creationTime, Integer retentionInDays, String kmsKeyId,
                       String logGroupClass, Map<String, String> tags, long storedBytes,
                       Boolean deletionProtectionEnabled) {
    public LogGroup {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        logGroupClass = logGroupClass == null ? "STANDARD" : logGroupClass;
    }

    public LogGroup withRetention(Integer days) {
        return new LogGroup(id, name, creationTime, days, kmsKeyId, logGroupClass, tags, storedBytes,
                deletionProtectionEnabled);
    }

    public LogGroup withTags(Map<String, String> newTags) {
        return new LogGroup(id, name, creationTime, retentionInDays, kmsKeyId, logGroupClass, new TreeMap<>(newTags),
                storedBytes, deletionProtectionEnabled);
    }

    public LogGroup withStoredBytes(long bytes) {
        return new LogGroup(id, name, creationTime, retentionInDays, kmsKeyId, logGroupClass, tags, bytes,
                deletionProtectionEnabled);
    }

    /** Events older than this (epoch ms) are expired under the retention policy; Long.MIN_VALUE without one. */
    public long expiredBefore(long nowMillis) {
        return retentionInDays == null ? Long.MIN_VALUE : nowMillis - retentionInDays * 86_400_000L;
    }
}
