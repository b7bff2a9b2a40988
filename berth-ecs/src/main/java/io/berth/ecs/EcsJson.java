package io.berth.ecs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import io.berth.core.task.Task;

/** The one JSON mapper of the ECS module: encodes stored aggregates and builds wire output. */
public final class EcsJson {
    public static final ObjectMapper MAPPER = io.berth.aws.json.JsonFactories.mapperBuilder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new JavaTimeModule())
            .build();

    private EcsJson() {
    }

    /** Encodes {@code value}; a memoized type's decode of the bytes returned then yields {@code value} itself. */
    public static byte[] encode(Object value) {
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(value);
            if (MEMOIZED.contains(value.getClass())) {
                DECODED.put(bytes, value);
            }
            return bytes;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T decode(byte[] bytes, Class<T> type) {
        if (MEMOIZED.contains(type)) {
            return DECODED.decode(bytes, type, EcsJson::read);
        }
        return read(bytes, type);
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + type.getSimpleName(), e);
        }
    }

    /**
     * The deeply immutable records read on every placement, report and desired-state poll: decoded
     * once per stored value (the store owns those arrays and never changes them), and not at all
     * when this process wrote it (encode seeds the cache). Container instances have their own cache
     * in ContainerInstances, which placements also seed.
     */
    private static final Set<Class<?>> MEMOIZED = Set.of(Task.class);
    private static final DecodedCache DECODED = new DecodedCache();

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
