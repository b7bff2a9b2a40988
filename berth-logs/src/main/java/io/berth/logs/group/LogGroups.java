package io.berth.logs.group;

import io.berth.core.arn.Account;
import io.berth.core.arn.Arn;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.logs.LogsJson;
import io.berth.logs.StoreRetry;
import io.berth.logs.retention.Purges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The log groups in the store (kind {@code logs.group}, key: the group's name, so listing by name is a
 * key scan). Deleting a group removes its record and files a purge of its streams and events, which
 * the janitor carries out. Thread-safe.
 */
public final class LogGroups {
    public static final String KIND = "logs.group";

    private final StateStore store;
    private final Account account;
    private final Supplier<String> ids;

    public LogGroups(StateStore store, Account account, Supplier<String> ids) {
        this.store = store;
        this.account = account;
        this.ids = ids;
    }

    public Account account() {
        return account;
    }

    public Optional<LogGroup> find(String name) {
        return read(name).map(v -> LogsJson.decode(v.value(), LogGroup.class));
    }

    /** The group, or ResourceNotFoundException as AWS words it. */
    public LogGroup require(String name) {
        return find(name).orElseThrow(LogGroups::notFound);
    }

    public static BerthException notFound() {
        return new BerthException(ErrorCode.RESOURCE_NOT_FOUND, "The specified log group does not exist.");
    }

    /**
     * The group a request names by {@code logGroupName} or {@code logGroupIdentifier} (a name or an
     * ARN); exactly one of them must be given.
     */
    public LogGroup resolve(String logGroupName, String logGroupIdentifier) {
        if (logGroupName != null && logGroupIdentifier != null) {
            throw BerthException.invalidParameter(
                    "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (logGroupName == null && logGroupIdentifier == null) {
            throw BerthException.invalidParameter("Should provide either logGroupName or logGroupIdentifier.");
        }
        return require(logGroupName != null ? logGroupName : nameOf(logGroupIdentifier));
    }

    /** A group name, or the name inside a log group ARN ({@code ...:log-group:NAME} with or without {@code :*}). */
    public String nameOf(String identifier) {
        if (!identifier.startsWith("arn:")) {
            return identifier;
        }
        Arn arn = Arn.parse(identifier).orElseThrow(() -> BerthException.invalidParameter(
                "Invalid ARN: " + identifier));
        String resource = arn.resource();
        if (!"logs".equals(arn.service()) || !resource.startsWith("log-group:")) {
            throw BerthException.invalidParameter("The ARN " + identifier + " is not a log group ARN.");
        }
        if (!arn.account().equals(account.accountId()) || !arn.region().equals(account.region())) {
            throw notFound();
        }
        String name = resource.substring("log-group:".length());
        if (name.endsWith(":*")) {
            name = name.substring(0, name.length() - 2);
        }
        if (name.isEmpty() || name.contains(":")) {
            throw BerthException.invalidParameter("The ARN " + identifier + " is not a log group ARN.");
        }
        return name;
    }

    public LogGroup create(String name, String kmsKeyId, String logGroupClass, Map<String, String> tags,
                           Boolean deletionProtection, long nowMillis) {
        LogGroup group = new LogGroup(ids.get(), name, nowMillis, null, kmsKeyId, logGroupClass, tags, 0,
                deletionProtection);
        try {
            store.commit(List.of(Mutation.create(KIND, name, LogsJson.encode(group))), StoreRetry.COMMIT_TIMEOUT);
        } catch (ConflictException e) {
            throw alreadyExists();
        }
        return group;
    }

    public static BerthException alreadyExists() {
        return new BerthException(ErrorCode.RESOURCE_IN_USE, "The specified log group already exists");
    }

    /** Removes the group and files the purge of everything in it. */
    public void delete(String name) {
        StoreRetry.onConflict(() -> {
            Versioned current = read(name).orElseThrow(LogGroups::notFound);
            LogGroup group = LogsJson.decode(current.value(), LogGroup.class);
            store.commit(List.of(Mutation.delete(current), Purges.ofGroup(group.id())), StoreRetry.COMMIT_TIMEOUT);
            return null;
        });
    }

    /** Applies {@code change} to the stored group, again while others write it concurrently. */
    public LogGroup update(String name, UnaryOperator<LogGroup> change) {
        return StoreRetry.onConflict(() -> {
            Versioned current = read(name).orElseThrow(LogGroups::notFound);
            LogGroup before = LogsJson.decode(current.value(), LogGroup.class);
            LogGroup after = change.apply(before);
            if (!after.equals(before)) {
                store.commit(List.of(Mutation.update(current, LogsJson.encode(after))), StoreRetry.COMMIT_TIMEOUT);
            }
            return after;
        });
    }

    /** Groups whose name starts with {@code prefix}, by name, after {@code afterName}. */
    public List<LogGroup> page(String prefix, String afterName, int limit) {
        List<LogGroup> out = new ArrayList<>();
        for (Versioned v : store.scan(KIND, prefix == null ? "" : prefix, afterName, limit)) {
            out.add(LogsJson.decode(v.value(), LogGroup.class));
        }
        return out;
    }

    private Optional<Versioned> read(String name) {
        return store.get(KIND, name);
    }

    /** {@code arn:...:log-group:NAME:*}, the {@code arn} AWS reports. */
    public String arn(String name) {
        return logGroupArn(name) + ":*";
    }

    /** {@code arn:...:log-group:NAME}, the {@code logGroupArn} AWS reports and tags take. */
    public String logGroupArn(String name) {
        return account.arn("logs", "log-group:" + name).toString();
    }

    public String streamArn(String group, String stream) {
        return account.arn("logs", "log-group:" + group + ":log-stream:" + stream).toString();
    }
}
