package io.berth.cloudwatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.cloudwatch.metric.MetricId;
import io.berth.cloudwatch.metric.MetricStore;
import io.berth.cloudwatch.metric.Point;
import io.berth.cloudwatch.metric.Statistics;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PutMetricData, GetMetricStatistics, GetMetricData and ListMetrics over a {@link MetricStore}, with
 * CloudWatch's rules: namespaces starting with {@code AWS/} are AWS's own, periods are 1, 5, 10, 20,
 * 30 or a multiple of 60 seconds, at most 1,440 data points per GetMetricStatistics, a metric is
 * matched by its exact set of dimensions. Input and output are the protocol-neutral trees of the model
 * (the same handlers serve the query protocol, JSON 1.0 and RPC v2 CBOR).
 */
public final class MetricOperations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final int MAX_DATAPOINTS = 1440;
    static final int LIST_PAGE = 500;
    private static final Duration FUTURE_LIMIT = Duration.ofHours(2);

    private final MetricStore store;
    private final InstantSource clock;

    public MetricOperations(MetricStore store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    public ObjectNode putMetricData(RequestContext context, ObjectNode input) {
        String namespace = input.path("Namespace").asText();
        if (namespace.startsWith("AWS/")) {
            throw invalid("The value " + namespace + " for parameter Namespace is invalid.");
        }
        Instant now = clock.instant();
        List<Map.Entry<MetricId, Point>> points = new ArrayList<>();
        int i = 0;
        for (JsonNode d : input.path("MetricData")) {
            i++;
            String member = "MetricData.member." + i;
            MetricId id = new MetricId(namespace, d.path("MetricName").asText(), dimensions(d.path("Dimensions")));
            Instant at = d.has("Timestamp") ? instant(d.get("Timestamp")) : now;
            if (at.isBefore(now.minus(MetricStore.RETENTION)) || at.isAfter(now.plus(FUTURE_LIMIT))) {
                throw invalid("The parameter " + member + ".Timestamp must specify a time no more than two weeks "
                        + "in the past and no more than two hours in the future.");
            }
            String unit = d.path("Unit").asText("None");
            boolean value = d.has("Value");
            boolean set = d.has("StatisticValues");
            boolean values = d.has("Values");
            if ((value ? 1 : 0) + (set ? 1 : 0) + (values ? 1 : 0) != 1) {
                throw new BerthException(ErrorCode.CLIENT, "The parameters " + member + ".Value, " + member
                        + ".StatisticValues and " + member + ".Values are mutually exclusive and you must specify "
                        + "one of them.");
            }
            if (value) {
                points.add(Map.entry(id, Point.of(at, finite(d.get("Value"), member + ".Value"), unit)));
            } else if (set) {
                JsonNode s = d.get("StatisticValues");
                double count = finite(s.get("SampleCount"), member + ".StatisticValues.SampleCount");
                double min = finite(s.get("Minimum"), member + ".StatisticValues.Minimum");
                double max = finite(s.get("Maximum"), member + ".StatisticValues.Maximum");
                if (count <= 0 || min > max) {
                    throw invalid("The parameter " + member + ".StatisticValues is not a valid statistic set.");
                }
                points.add(Map.entry(id, new Point(at, count, finite(s.get("Sum"), member + ".StatisticValues.Sum"),
                        min, max, unit)));
            } else {
                JsonNode counts = d.path("Counts");
                if (!counts.isMissingNode() && counts.size() != d.get("Values").size()) {
                    throw invalid("The parameters " + member + ".Values and " + member
                            + ".Counts must be of the same size.");
                }
                int k = 0;
                for (JsonNode v : d.get("Values")) {
                    double c = counts.isMissingNode() ? 1 : finite(counts.get(k), member + ".Counts");
                    double x = finite(v, member + ".Values");
                    points.add(Map.entry(id, new Point(at, c, x * c, x, x, unit)));
                    k++;
                }
            }
        }
        points.forEach(e -> store.put(e.getKey(), e.getValue()));
        return F.objectNode();
    }

    public ObjectNode getMetricStatistics(RequestContext context, ObjectNode input) {
        MetricId id = new MetricId(input.path("Namespace").asText(), input.path("MetricName").asText(),
                dimensions(input.path("Dimensions")));
        Instant start = instant(input.get("StartTime"));
        Instant end = instant(input.get("EndTime"));
        Duration period = period(input.path("Period").asInt());
        List<String> stats = new ArrayList<>();
        input.path("Statistics").forEach(s -> stats.add(s.asText()));
        if (input.has("ExtendedStatistics") && !input.get("ExtendedStatistics").isEmpty()) {
            throw invalid("Berth does not compute percentiles: ExtendedStatistics is not supported.");
        }
        if (stats.isEmpty()) {
            throw new BerthException(ErrorCode.CLIENT, "Must specify either Statistics or ExtendedStatistics.");
        }
        if (!start.isBefore(end)) {
            throw invalid("The parameter StartTime must be less than the parameter EndTime.");
        }
        long periods = Statistics.periods(start, end, period);
        if (periods > MAX_DATAPOINTS) {
            throw new BerthException(ErrorCode.CLIENT, "You have requested up to " + periods
                    + " datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by "
                    + "increasing Period, or decreasing the time range.");
        }
        String unit = input.hasNonNull("Unit") ? input.get("Unit").asText() : null;
        ArrayNode datapoints = F.arrayNode();
        for (Point p : Statistics.aggregate(store.points(id, Statistics.alignedStart(start, period), end), start,
                end, period, unit)) {
            ObjectNode dp = datapoints.addObject();
            dp.put("Timestamp", p.timestamp().getEpochSecond());
            for (String s : stats) {
                dp.put(s, p.statistic(s));
            }
            dp.put("Unit", p.unit());
        }
        ObjectNode out = F.objectNode();
        out.put("Label", id.name());
        out.set("Datapoints", datapoints);
        return out;
    }

    public ObjectNode getMetricData(RequestContext context, ObjectNode input) {
        Instant start = instant(input.get("StartTime"));
        Instant end = instant(input.get("EndTime"));
        if (!start.isBefore(end)) {
            throw invalid("The parameter StartTime must be less than the parameter EndTime.");
        }
        boolean descending = !"TimestampAscending".equals(input.path("ScanBy").asText("TimestampDescending"));
        ArrayNode results = F.arrayNode();
        for (JsonNode q : input.path("MetricDataQueries")) {
            ObjectNode r = results.addObject();
            r.put("Id", q.path("Id").asText());
            if (!q.has("MetricStat")) {
                r.put("Label", q.path("Label").asText(q.path("Id").asText()));
                r.set("Timestamps", F.arrayNode());
                r.set("Values", F.arrayNode());
                r.put("StatusCode", "InternalError");
                r.set("Messages", F.arrayNode().add(F.objectNode().put("Code", "Unsupported")
                        .put("Value", "Berth does not evaluate metric math expressions.")));
                continue;
            }
            JsonNode stat = q.get("MetricStat");
            JsonNode metric = stat.path("Metric");
            MetricId id = new MetricId(metric.path("Namespace").asText(), metric.path("MetricName").asText(),
                    dimensions(metric.path("Dimensions")));
            Duration period = period(stat.path("Period").asInt());
            String statistic = stat.path("Stat").asText();
            if (!Statistics.NAMES.contains(statistic)) {
                throw invalid("The value " + statistic + " for parameter MetricDataQueries.member.Stat is not "
                        + "supported by Berth (SampleCount, Average, Sum, Minimum, Maximum).");
            }
            String unit = stat.hasNonNull("Unit") ? stat.get("Unit").asText() : null;
            List<Point> points = new ArrayList<>(Statistics.aggregate(
                    store.points(id, Statistics.alignedStart(start, period), end), start, end, period, unit));
            if (descending) {
                java.util.Collections.reverse(points);
            }
            r.put("Label", q.hasNonNull("Label") ? q.get("Label").asText() : id.name());
            ArrayNode timestamps = r.putArray("Timestamps");
            ArrayNode values = r.putArray("Values");
            for (Point p : points) {
                timestamps.add(p.timestamp().getEpochSecond());
                values.add(p.statistic(statistic));
            }
            r.put("StatusCode", "Complete");
        }
        ObjectNode out = F.objectNode();
        out.set("MetricDataResults", results);
        out.set("Messages", F.arrayNode());
        return out;
    }

    public ObjectNode listMetrics(RequestContext context, ObjectNode input) {
        String namespace = input.hasNonNull("Namespace") ? input.get("Namespace").asText() : null;
        String name = input.hasNonNull("MetricName") ? input.get("MetricName").asText() : null;
        Map<String, String> wanted = new LinkedHashMap<>();
        for (JsonNode f : input.path("Dimensions")) {
            wanted.put(f.path("Name").asText(), f.hasNonNull("Value") ? f.get("Value").asText() : null);
        }
        Instant activeSince = "PT3H".equals(input.path("RecentlyActive").asText(null))
                ? clock.instant().minus(Duration.ofHours(3)) : null;
        List<MetricId> all = store.list(id -> (namespace == null || namespace.equals(id.namespace()))
                && (name == null || name.equals(id.name()))
                && wanted.entrySet().stream().allMatch(w -> id.dimensions().containsKey(w.getKey())
                        && (w.getValue() == null || w.getValue().equals(id.dimensions().get(w.getKey())))),
                activeSince);
        int from = 0;
        if (input.hasNonNull("NextToken")) {
            try {
                from = Integer.parseInt(input.get("NextToken").asText());
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > all.size()) {
                throw new BerthException(ErrorCode.INVALID_NEXT_TOKEN, "The service returned an invalid next token.");
            }
        }
        ObjectNode out = F.objectNode();
        ArrayNode metrics = out.putArray("Metrics");
        int to = Math.min(all.size(), from + LIST_PAGE);
        for (MetricId id : all.subList(from, to)) {
            ObjectNode m = metrics.addObject();
            m.put("Namespace", id.namespace());
            m.put("MetricName", id.name());
            ArrayNode dims = m.putArray("Dimensions");
            id.dimensions().forEach((k, v) -> dims.addObject().put("Name", k).put("Value", v));
        }
        if (to < all.size()) {
            out.put("NextToken", Integer.toString(to));
        }
        return out;
    }

    private static Map<String, String> dimensions(JsonNode list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode d : list) {
            String name = d.path("Name").asText();
            if (out.put(name, d.path("Value").asText()) != null) {
                throw invalid("No metric may have two dimensions named " + name + ".");
            }
        }
        return out;
    }

    private static Duration period(int seconds) {
        if (seconds <= 0 || (seconds < 60 && 60 % seconds != 0) || seconds == 15 || seconds == 12
                || seconds == 6 || seconds == 4 || seconds == 3 || seconds == 2 || (seconds > 60 && seconds % 60 != 0)) {
            throw invalid("The parameter Period must be 1, 5, 10, 20, 30, 60, or any multiple of 60.");
        }
        return Duration.ofSeconds(seconds);
    }

    private static Instant instant(JsonNode epochSeconds) {
        BigDecimal s = epochSeconds.decimalValue();
        long whole = s.longValue();
        int nanos = s.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static double finite(JsonNode node, String member) {
        if (node == null || !node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw invalid("The value for parameter " + member + " must be a finite number.");
        }
        return node.doubleValue();
    }

    private static BerthException invalid(String message) {
        return new BerthException(ErrorCode.INVALID_PARAMETER, message);
    }
}
