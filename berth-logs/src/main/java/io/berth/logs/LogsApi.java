package io.berth.logs;

import io.berth.aws.json.JsonService;
import io.berth.aws.model.ServiceModel;
import io.berth.core.arn.Account;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.StateStore;
import io.berth.logs.event.EventLog;
import io.berth.logs.event.EventOperations;
import io.berth.logs.group.GroupOperations;
import io.berth.logs.group.LogGroups;
import io.berth.logs.retention.LogsJanitor;
import io.berth.logs.stream.LogStreams;
import io.berth.logs.stream.StreamOperations;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * Assembles the CloudWatch Logs API (AWS JSON 1.1, {@code Logs_20140328}, signing name {@code logs})
 * over a store: log groups, streams, events (PutLogEvents, GetLogEvents, FilterLogEvents), retention
 * policies and tags.
 *
 * <p>Wiring: add {@link Logs#api()} to the edge's JSON services, and close {@link Logs#janitor()}
 * (retention, purges of deleted groups, stored bytes) with the server.
 */
public final class LogsApi {
    private static final ServiceModel MODEL = ServiceModel.load(LogsApi.class, "logs-model.json");
    /** PutLogEvents carries up to 1 MiB of messages, plus JSON around them. */
    static final int MAX_BODY_BYTES = 8 << 20;

    private LogsApi() {
    }

    public static ServiceModel model() {
        return MODEL;
    }

    /** The Logs API and its background job (already started; close it with the server). */
    public record Logs(JsonService api, LogsJanitor janitor) implements AutoCloseable {
        @Override
        public void close() {
            janitor.close();
        }
    }

    /** The Logs API over {@code store}, with its janitor passing every minute. */
    public static Logs build(StateStore store, Account account, InstantSource clock) {
        return build(store, account, clock, Ids.secure(), Duration.ofMinutes(1));
    }

    /**
     * @param ids new group and stream ids (random)
     * @param janitorInterval how often retention and purges run
     */
    public static Logs build(StateStore store, Account account, InstantSource clock, Supplier<String> ids,
                             Duration janitorInterval) {
        LogGroups groups = new LogGroups(store, account, ids);
        LogStreams streams = new LogStreams(store, ids);
        EventLog log = new EventLog(store, streams);
        LogsJanitor janitor = new LogsJanitor(store, clock, janitorInterval);

        JsonService.Builder builder = JsonService.builder(MODEL).maxBodyBytes(MAX_BODY_BYTES);
        new GroupOperations(groups, clock, janitor::wake).operations().forEach(builder::operation);
        new StreamOperations(groups, streams, clock, janitor::wake).operations().forEach(builder::operation);
        new EventOperations(groups, streams, log, clock).operations().forEach(builder::operation);
        return new Logs(errors(builder).build(), janitor.start());
    }

    /** The one table from domain codes to CloudWatch Logs wire errors. */
    private static JsonService.Builder errors(JsonService.Builder b) {
        return b.error(ErrorCode.INVALID_PARAMETER, "InvalidParameterException")
                // CloudWatch Logs reports model constraint failures as InvalidParameterException
                .error(ErrorCode.VALIDATION, "InvalidParameterException")
                .error(ErrorCode.RESOURCE_NOT_FOUND, "ResourceNotFoundException")
                .error(ErrorCode.RESOURCE_IN_USE, "ResourceAlreadyExistsException")
                .error(ErrorCode.LIMIT_EXCEEDED, "LimitExceededException")
                .error(ErrorCode.CLIENT, "InvalidOperationException")
                .error(ErrorCode.UNSUPPORTED, "InvalidOperationException")
                .error(ErrorCode.CONFLICT, "OperationAbortedException")
                .error(ErrorCode.INTERNAL, "ServiceUnavailableException");
    }
}
