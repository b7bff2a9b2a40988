package io.berth.aws.json;

import io.berth.aws.AwsError;
import io.berth.aws.model.ServiceModel;
import io.berth.aws.model.ShapeValidator;
import io.berth.core.error.ErrorCode;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service spoken over AWS JSON 1.0/1.1 (ECS, ECR, CloudWatch Logs, ...): its model, its operations
 * and the table that turns domain error codes into its wire errors. Build one with {@link #builder}.
 */
public final class JsonService {
    private final ServiceModel model;
    private final ShapeValidator validator;
    private final Map<String, JsonOperation> operations;
    private final Map<ErrorCode, AwsError> errors;
    private final int maxBodyBytes;

    private JsonService(Builder b) {
        this.model = b.model;
        this.validator = new ShapeValidator(b.model);
        this.operations = Map.copyOf(b.operations);
        this.errors = new EnumMap<>(b.errors);
        this.maxBodyBytes = b.maxBodyBytes;
    }

    public static Builder builder(ServiceModel model) {
        return new Builder(model);
    }

    public ServiceModel model() {
        return model;
    }

    public String targetPrefix() {
        return model.targetPrefix();
    }

    public String signingName() {
        return model.signingName();
    }

    public String contentType() {
        return "application/x-amz-json-" + model.metadata("jsonVersion");
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    ShapeValidator validator() {
        return validator;
    }

    JsonOperation operation(String name) {
        return operations.get(name);
    }

    /** The wire error of a domain code; codes without an entry are the generic ones. */
    public AwsError error(ErrorCode code) {
        AwsError error = errors.get(code);
        if (error != null) {
            return error;
        }
        return switch (code) {
            case VALIDATION -> new AwsError("ValidationException", 400);
            case SERIALIZATION -> new AwsError("SerializationException", 400);
            case CONFLICT -> new AwsError("ConcurrentModificationException", 409);
            case INTERNAL -> new AwsError("InternalFailure", 500);
            default -> new AwsError("InvalidParameterException", 400);
        };
    }

    public static final class Builder {
        private final ServiceModel model;
        private final Map<String, JsonOperation> operations = new HashMap<>();
        private final Map<ErrorCode, AwsError> errors = new EnumMap<>(ErrorCode.class);
        private int maxBodyBytes = 1 << 20;

        private Builder(ServiceModel model) {
            this.model = Objects.requireNonNull(model);
        }

        public Builder operation(String name, JsonOperation operation) {
            if (model.operation(name).isEmpty()) {
                throw new IllegalArgumentException(name + " is not an operation of " + model.signingName());
            }
            operations.put(name, operation);
            return this;
        }

        /** Maps a domain code to one of the service's error shapes (its status comes from the model). */
        public Builder error(ErrorCode code, String shape) {
            int status = model.hasShape(shape) ? model.shape(shape).errorStatus() : 400;
            errors.put(code, new AwsError(shape, status == 0 ? 400 : status));
            return this;
        }

        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        public JsonService build() {
            return new JsonService(this);
        }
    }
}
