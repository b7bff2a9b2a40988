package io.berth.lb.model;

import java.util.List;
import java.util.Objects;

/**
 * A rule condition. {@code values} holds the patterns of {@code path-pattern}, {@code host-header},
 * {@code http-header} (with {@code headerName}), {@code http-request-method} and {@code source-ip};
 * {@code queryValues} those of {@code query-string}.
 */
public record Condition(String field, List<String> values, String headerName, List<KeyValue> queryValues) {
    public static final String PATH = "path-pattern";
    public static final String HOST = "host-header";
    public static final String HEADER = "http-header";
    public static final String METHOD = "http-request-method";
    public static final String QUERY = "query-string";
    public static final String SOURCE_IP = "source-ip";

    public Condition {
        Objects.requireNonNull(field);
        values = values == null ? List.of() : List.copyOf(values);
        queryValues = queryValues == null ? List.of() : List.copyOf(queryValues);
    }

    /** A {@code query-string} pair; a null key matches any key. */
    public record KeyValue(String key, String value) {
    }
}
