package io.berth.scheduler.placement;

import io.berth.core.error.BerthException;
import java.util.Locale;
import java.util.Objects;

/**
 * An ECS task placement strategy: best effort, applied in the order given, each one breaking the
 * ties the previous ones left. {@link #of} reads the wire form ({@code type}, {@code field}).
 */
public sealed interface PlacementStrategy {

    /** The wire {@code type}: binpack, spread or random. */
    String type();

    /** The wire {@code field}, or null for random. */
    String field();

    /**
     * The strategy named by the wire pair. ECS: binpack takes {@code cpu} or {@code memory}; spread
     * takes {@code instanceId}, {@code host} (the same) or {@code attribute:NAME}; random takes no
     * field (one given is ignored, as ECS says it is "not used"). Types and the fixed field names
     * are read case-insensitively; attribute names are case-sensitive.
     *
     * @throws BerthException INVALID_PARAMETER for an unknown type or a field the type does not take
     */
    static PlacementStrategy of(String type, String field) {
        if (type == null) {
            throw BerthException.invalidParameter(
                    "A placement strategy type is required (binpack, spread or random).");
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "binpack" -> {
                if (field == null) {
                    throw BerthException.invalidParameter(
                            "The binpack placement strategy requires a field: cpu or memory.");
                }
                yield switch (field.toLowerCase(Locale.ROOT)) {
                    case "cpu" -> binpack(Resource.CPU);
                    case "memory" -> binpack(Resource.MEMORY);
                    default -> throw BerthException.invalidParameter("Invalid field '" + field
                            + "' for the binpack placement strategy: expected cpu or memory.");
                };
            }
            case "spread" -> spread(field);
            case "random" -> random();
            default -> throw BerthException.invalidParameter(
                    "Invalid placement strategy type '" + type + "': expected binpack, spread or random.");
        };
    }

    static Binpack binpack(Resource resource) {
        return new Binpack(resource);
    }

    /**
     * @param field {@code instanceId}, {@code host} or {@code attribute:NAME}
     */
    static Spread spread(String field) {
        return new Spread(field);
    }

    static Random random() {
        return new Random();
    }

    enum Resource { CPU, MEMORY }

    /** The feasible instance with the least of {@code resource} remaining (that still fits the task). */
    record Binpack(Resource resource) implements PlacementStrategy {
        public Binpack {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public String type() {
            return "binpack";
        }

        @Override
        public String field() {
            return resource.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The instances whose value of {@code field} has the fewest tasks of the same service (service
     * tasks) or task group (standalone tasks). Instances without the attribute share one value.
     */
    record Spread(String field) implements PlacementStrategy {
        private static final String ATTRIBUTE = "attribute:";

        public Spread {
            if (field == null || field.isBlank()) {
                throw BerthException.invalidParameter(
                        "The spread placement strategy requires a field: instanceId, host or attribute:NAME.");
            }
            boolean perInstance = field.equalsIgnoreCase("instanceId") || field.equalsIgnoreCase("host");
            boolean attribute = field.regionMatches(true, 0, ATTRIBUTE, 0, ATTRIBUTE.length())
                    && field.length() > ATTRIBUTE.length();
            if (!perInstance && !attribute) {
                throw BerthException.invalidParameter("Invalid field '" + field
                        + "' for the spread placement strategy: expected instanceId, host or attribute:NAME.");
            }
        }

        @Override
        public String type() {
            return "spread";
        }

        /** The attribute name for {@code attribute:NAME}; null for instanceId and host. */
        public String attribute() {
            return field.regionMatches(true, 0, ATTRIBUTE, 0, ATTRIBUTE.length())
                    ? field.substring(ATTRIBUTE.length()) : null;
        }
    }

    /** Any of the candidates left, drawn with the call's seeded random generator. */
    record Random() implements PlacementStrategy {
        @Override
        public String type() {
            return "random";
        }

        @Override
        public String field() {
            return null;
        }
    }
}
