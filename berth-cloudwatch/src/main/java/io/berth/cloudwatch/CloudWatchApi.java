package io.berth.cloudwatch;

import io.berth.aws.json.JsonService;
import io.berth.aws.model.ServiceModel;
import io.berth.aws.query.QueryModel;
import io.berth.aws.query.QueryService;
import io.berth.cloudwatch.api.MetricOperations;
import io.berth.cloudwatch.metric.MetricStore;
import io.berth.core.error.ErrorCode;
import java.time.InstantSource;

/**
 * Assembles the CloudWatch metrics API ({@code monitoring}, 2010-08-01) over a {@link MetricStore}. One
 * set of handlers, served in every protocol clients use: the query protocol (AWS CLI v2 up to 2.2x;
 * form-encoded, XML answers), JSON 1.0 ({@code X-Amz-Target: GraniteServiceVersion20100801.*}) and
 * Smithy RPC v2 CBOR (AWS SDK for Java 2.3x and later), the last two through the same
 * {@link JsonService}.
 */
public final class CloudWatchApi {
    private static final QueryModel MODEL = QueryModel.load(CloudWatchApi.class, "cloudwatch-model.json");

    private CloudWatchApi() {
    }

    public static ServiceModel model() {
        return MODEL.model();
    }

    /** The API in its protocols, and the store behind it (also the AWS/* metric sink). */
    public record CloudWatch(JsonService json, QueryService query, MetricStore store) {
    }

    public static CloudWatch build(MetricStore store, InstantSource clock) {
        MetricOperations ops = new MetricOperations(store, clock);
        JsonService.Builder json = JsonService.builder(MODEL.model()).maxBodyBytes(1 << 20)
                .operation("PutMetricData", ops::putMetricData)
                .operation("GetMetricStatistics", ops::getMetricStatistics)
                .operation("GetMetricData", ops::getMetricData)
                .operation("ListMetrics", ops::listMetrics);
        QueryService.Builder query = QueryService.builder(MODEL).maxBodyBytes(1 << 20)
                .operation("PutMetricData", ops::putMetricData)
                .operation("GetMetricStatistics", ops::getMetricStatistics)
                .operation("GetMetricData", ops::getMetricData)
                .operation("ListMetrics", ops::listMetrics);
        for (ErrorCode code : ErrorCode.values()) {
            String shape = shape(code);
            json.error(code, shape);
            query.error(code, shape);
        }
        return new CloudWatch(json.build(), query.build(), store);
    }

    /** The query protocol's code of an error shape (for {@code x-amzn-query-error}); null if not ours. */
    public static String queryErrorCode(String shape) {
        return MODEL.model().hasShape(shape) ? MODEL.errorCode(shape) : null;
    }

    /** The one table from domain codes to CloudWatch's error shapes. */
    static String shape(ErrorCode code) {
        return switch (code) {
            case INVALID_NEXT_TOKEN -> "InvalidNextToken";
            case CLIENT -> "InvalidParameterCombinationException";
            case RESOURCE_NOT_FOUND -> "ResourceNotFoundException";
            case LIMIT_EXCEEDED -> "LimitExceededException";
            case CONFLICT -> "ConcurrentModificationException";
            case INTERNAL -> "InternalServiceFault";
            default -> "InvalidParameterValueException";
        };
    }
}
