package io.berth.logs.stream;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.logs.LogsJson;
import io.berth.logs.StoreRetry;
import io.berth.logs.group.LogGroup;
import io.berth.logs.retention.Purges;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The log streams in the store (kind {@code logs.stream}, key {@code <group id>:<stream name>}; ':' can
 * appear in neither a group nor a stream name, so a group's streams are one key range, by name).
 * Thread-safe.
 */
public final class LogStreams {
    public static final String KIND = "logs.stream";

    private final StateStore store;
    private final Supplier<String> ids;

    public LogStreams(StateStore store, Supplier<String> ids) {
        this.store = store;
        this.ids = ids;
    }

    public static String key(LogGroup group, String streamName) {
        return group.id() + ":" + streamName;
    }

    public Optional<Versioned> read(LogGroup group, String name) {
        return store.get(KIND, key(group, name));
    }

    public Optional<LogStream> find(LogGroup group, String name) {
        return read(group, name).map(LogStreams::decode);
    }

    public LogStream require(LogGroup group, String name) {
        return find(group, name).orElseThrow(LogStreams::notFound);
    }

    public static BerthException notFound() {
        return new BerthException(ErrorCode.RESOURCE_NOT_FOUND, "The specified log stream does not exist.");
    }

    public static LogStream decode(Versioned v) {
        return LogsJson.decode(v.value(), LogStream.class);
    }

    public LogStream create(LogGroup group, String name, long nowMillis) {
        LogStream stream = LogStream.create(ids.get(), name, nowMillis);
        try {
            store.commit(List.of(Mutation.create(KIND, key(group, name), LogsJson.encode(stream))),
                    StoreRetry.COMMIT_TIMEOUT);
        } catch (ConflictException e) {
            throw alreadyExists();
        }
        return stream;
    }

    public static BerthException alreadyExists() {
        return new BerthException(ErrorCode.RESOURCE_IN_USE, "The specified log stream already exists");
    }

    /** Removes the stream and files the purge of its events. */
    public void delete(LogGroup group, String name) {
        StoreRetry.onConflict(() -> {
            Versioned current = read(group, name).orElseThrow(LogStreams::notFound);
            store.commit(List.of(Mutation.delete(current), Purges.ofStream(decode(current).id())),
                    StoreRetry.COMMIT_TIMEOUT);
            return null;
        });
    }

    /** The group's streams whose name starts with {@code prefix}, by name, after {@code afterName}. */
    public List<LogStream> page(LogGroup group, String prefix, String afterName, int limit) {
        String base = group.id() + ":";
        List<LogStream> out = new ArrayList<>();
        for (Versioned v : store.scan(KIND, base + (prefix == null ? "" : prefix),
                afterName == null ? null : base + afterName, limit)) {
            out.add(decode(v));
        }
        return out;
    }

    /** Every stream of the group (prefix-filtered), by name. */
    public List<LogStream> all(LogGroup group, String prefix) {
        List<LogStream> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<LogStream> page = page(group, prefix, after, 1000);
            out.addAll(page);
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).name();
        }
    }
}
