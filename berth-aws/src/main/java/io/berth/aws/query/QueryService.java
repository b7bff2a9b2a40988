package io.berth.aws.query;

import io.berth.aws.AwsError;
import io.berth.aws.model.ShapeValidator;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A service spoken over the AWS query protocol (ELBv2, IAM, STS, ...): its model, its operations and
 * the one table that turns domain errors into its wire errors. Requests find it by their
 * {@code Version} parameter. Build one with {@link #builder}; immutable and thread-safe once built.
 */
public final class QueryService {
    private final QueryModel model;
    private final ShapeValidator validator;
    private final FormDecoder decoder;
    private final XmlEncoder encoder;
    private final Map<String, QueryOperation> operations;
    private final Map<ErrorCode, String> errors;
    private final Function<BerthException, String> errorShapes;
    private final int maxBodyBytes;

    private QueryService(Builder b) {
        this.model = b.model;
        this.validator = new ShapeValidator(b.model.model());
        this.decoder = new FormDecoder(b.model);
        this.encoder = new XmlEncoder(b.model);
        this.operations = Map.copyOf(b.operations);
        this.errors = new EnumMap<>(b.errors);
        this.errorShapes = b.errorShapes;
        this.maxBodyBytes = b.maxBodyBytes;
    }

    public static Builder builder(QueryModel model) {
        return new Builder(model);
    }

    public QueryModel model() {
        return model;
    }

    /** The {@code Version} requests of this service carry ({@code 2015-12-01} for ELBv2). */
    public String apiVersion() {
        return model.apiVersion();
    }

    public String signingName() {
        return model.signingName();
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    ShapeValidator validator() {
        return validator;
    }

    FormDecoder decoder() {
        return decoder;
    }

    XmlEncoder encoder() {
        return encoder;
    }

    QueryOperation operation(String name) {
        return operations.get(name);
    }

    /**
     * The wire error of a domain exception: the shape the service's mapper names for it, else the
     * shape of its code, else the generic query-protocol errors. {@link AwsError#type()} is the wire
     * {@code Code}.
     */
    public AwsError error(BerthException e) {
        String shape = errorShapes.apply(e);
        if (shape == null) {
            shape = errors.get(e.code());
        }
        if (shape != null) {
            int status = model.model().hasShape(shape) ? model.model().shape(shape).errorStatus() : 400;
            return new AwsError(model.errorCode(shape), status == 0 ? 400 : status);
        }
        return switch (e.code()) {
            case VALIDATION, SERIALIZATION, INVALID_PARAMETER -> new AwsError("ValidationError", 400);
            case CONFLICT -> new AwsError("PriorRequestNotComplete", 429);
            case UNSUPPORTED -> new AwsError("UnsupportedOperation", 400);
            case INTERNAL -> new AwsError("InternalFailure", 500);
            default -> new AwsError("ValidationError", 400);
        };
    }

    public static final class Builder {
        private final QueryModel model;
        private final Map<String, QueryOperation> operations = new HashMap<>();
        private final Map<ErrorCode, String> errors = new EnumMap<>(ErrorCode.class);
        private Function<BerthException, String> errorShapes = e -> null;
        private int maxBodyBytes = 1 << 20;

        private Builder(QueryModel model) {
            this.model = Objects.requireNonNull(model);
        }

        public Builder operation(String name, QueryOperation operation) {
            if (model.model().operation(name).isEmpty()) {
                throw new IllegalArgumentException(name + " is not an operation of " + model.signingName());
            }
            operations.put(name, operation);
            return this;
        }

        /** Maps a domain code to one of the service's error shapes (its wire code and status come from the model). */
        public Builder error(ErrorCode code, String shape) {
            errors.put(code, shape);
            return this;
        }

        /**
         * Names the error shape of an exception more precisely than its {@link ErrorCode} can (a
         * service with more errors than the shared codes); returns null to fall back to the code.
         */
        public Builder errorShapes(Function<BerthException, String> mapper) {
            this.errorShapes = Objects.requireNonNull(mapper);
            return this;
        }

        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        public QueryService build() {
            return new QueryService(this);
        }
    }
}
