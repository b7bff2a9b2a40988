package io.berth.scheduler.placement;

import io.berth.core.error.BerthException;
import io.berth.scheduler.query.ClusterQuery;
import java.util.Locale;
import java.util.Objects;

/**
 * An ECS task placement constraint: binding; an instance that fails one is vetoed. {@link #of}
 * reads the wire form ({@code type}, {@code expression}).
 */
public sealed interface PlacementConstraint {
    /** ECS's limit on a memberOf expression. */
    int MAX_EXPRESSION_LENGTH = 2000;

    String type();

    /**
     * The constraint named by the wire pair: {@code distinctInstance} (no expression) or
     * {@code memberOf} with a cluster query expression of at most 2000 characters.
     *
     * @throws BerthException INVALID_PARAMETER for an unknown type, a missing or unexpected
     *     expression, or an expression that does not parse
     */
    static PlacementConstraint of(String type, String expression) {
        if (type == null) {
            throw BerthException.invalidParameter(
                    "A placement constraint type is required (distinctInstance or memberOf).");
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "distinctinstance" -> {
                if (expression != null && !expression.isEmpty()) {
                    throw BerthException.invalidParameter(
                            "A distinctInstance placement constraint cannot have an expression.");
                }
                yield distinctInstance();
            }
            case "memberof" -> memberOf(expression);
            default -> throw BerthException.invalidParameter(
                    "Invalid placement constraint type '" + type + "': expected distinctInstance or memberOf.");
        };
    }

    static DistinctInstance distinctInstance() {
        return new DistinctInstance();
    }

    static MemberOf memberOf(String expression) {
        if (expression == null || expression.isBlank()) {
            throw BerthException.invalidParameter("A memberOf placement constraint requires an expression.");
        }
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            throw BerthException.invalidParameter("A placement constraint expression can have at most "
                    + MAX_EXPRESSION_LENGTH + " characters.");
        }
        return new MemberOf(ClusterQuery.parse(expression));
    }

    /**
     * Each task of the group (standalone) or of the service on a different instance: an instance
     * already running one, or given one earlier in the same call, is vetoed.
     */
    record DistinctInstance() implements PlacementConstraint {
        @Override
        public String type() {
            return "distinctInstance";
        }
    }

    /** Only instances the query selects. */
    record MemberOf(ClusterQuery query) implements PlacementConstraint {
        public MemberOf {
            Objects.requireNonNull(query, "query");
        }

        @Override
        public String type() {
            return "memberOf";
        }
    }
}
