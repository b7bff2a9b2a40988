package io.berth.aws.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a decoded JSON request against an input shape of a {@link ServiceModel}, as the AWS
 * service framework does before an operation runs, and returns a clean copy without unknown members
 * or nulls.
 *
 * <ul>
 *   <li>A value of the wrong JSON type fails the whole request at once with
 *       {@link ErrorCode#SERIALIZATION} (AWS: {@code SerializationException}).</li>
 *   <li>Constraint failures (required, length, range, pattern, enum) are collected and reported
 *       together with {@link ErrorCode#VALIDATION} in AWS's words: {@code 1 validation error
 *       detected: Value null at 'family' failed to satisfy constraint: Member must not be null}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class ShapeValidator {
    private static final int MAX_REPORTED = 10;
    private final ServiceModel model;

    public ShapeValidator(ServiceModel model) {
        this.model = model;
    }

    public ObjectNode validate(String shapeName, JsonNode input) {
        if (shapeName == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (input == null || input.isNull() || input.isMissingNode()) {
            input = JsonNodeFactory.instance.objectNode();
        }
        List<String> problems = new ArrayList<>();
        JsonNode clean = visit(model.shape(shapeName), input, "", problems);
        if (!problems.isEmpty()) {
            int n = problems.size();
            StringBuilder message = new StringBuilder()
                    .append(n).append(n == 1 ? " validation error detected: " : " validation errors detected: ");
            for (int i = 0; i < Math.min(n, MAX_REPORTED); i++) {
                if (i > 0) {
                    message.append("; ");
                }
                message.append(problems.get(i));
            }
            throw new BerthException(ErrorCode.VALIDATION, message.toString());
        }
        return (ObjectNode) clean;
    }

    private JsonNode visit(Shape shape, JsonNode value, String path, List<String> problems) {
        if (shape.document()) {
            return value.deepCopy();
        }
        return switch (shape.type()) {
            case "structure" -> structure(shape, value, path, problems);
            case "list" -> list(shape, value, path, problems);
            case "map" -> map(shape, value, path, problems);
            case "string" -> string(shape, value, path, problems);
            case "integer", "long", "short", "byte" -> integral(shape, value, path, problems);
            case "float", "double", "bigdecimal" -> decimal(shape, value, path, problems);
            case "boolean" -> bool(value, path);
            case "timestamp" -> timestamp(value, path);
            case "blob" -> blob(value, path);
            default -> value.deepCopy();
        };
    }

    private JsonNode structure(Shape shape, JsonNode value, String path, List<String> problems) {
        if (!value.isObject()) {
            throw typeError(value, "Structure", path);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> member : shape.members().entrySet()) {
            JsonNode v = value.get(member.getKey());
            String memberPath = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
            if (v == null || v.isNull()) {
                if (shape.required().contains(member.getKey())) {
                    problems.add("Value null at '" + memberPath + "' failed to satisfy constraint: Member must not be null");
                }
                continue;
            }
            out.set(member.getKey(), visit(model.shape(member.getValue()), v, memberPath, problems));
        }
        return out;
    }

    private JsonNode list(Shape shape, JsonNode value, String path, List<String> problems) {
        if (!value.isArray()) {
            throw typeError(value, "List", path);
        }
        length(shape, value.size(), value, path, problems);
        Shape member = model.shape(shape.member());
        ArrayNode out = JsonNodeFactory.instance.arrayNode(value.size());
        int i = 1;
        for (JsonNode element : value) {
            String elementPath = path + "." + i++ + ".member";
            if (element.isNull()) {
                problems.add("Value null at '" + elementPath + "' failed to satisfy constraint: Member must not be null");
                continue;
            }
            out.add(visit(member, element, elementPath, problems));
        }
        return out;
    }

    private JsonNode map(Shape shape, JsonNode value, String path, List<String> problems) {
        if (!value.isObject()) {
            throw typeError(value, "Map", path);
        }
        length(shape, value.size(), value, path, problems);
        Shape keyShape = model.shape(shape.key());
        Shape valueShape = model.shape(shape.value());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String entryPath = path + ".entry." + e.getKey();
            string(keyShape, JsonNodeFactory.instance.textNode(e.getKey()), entryPath + ".key", problems);
            if (e.getValue().isNull()) {
                continue;
            }
            out.set(e.getKey(), visit(valueShape, e.getValue(), entryPath + ".value", problems));
        }
        return out;
    }

    private JsonNode string(Shape shape, JsonNode value, String path, List<String> problems) {
        if (!value.isTextual()) {
            throw typeError(value, "String", path);
        }
        String text = value.textValue();
        if (!shape.enumValues().isEmpty() && !shape.enumValues().contains(text)) {
            problems.add("Value '" + abbreviate(text) + "' at '" + path
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + shape.enumValues());
        }
        length(shape, text.codePointCount(0, text.length()), value, path, problems);
        if (shape.pattern() != null && !shape.pattern().matcher(text).matches()) {
            problems.add("Value '" + abbreviate(text) + "' at '" + path
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + shape.pattern().pattern());
        }
        return value;
    }

    private JsonNode integral(Shape shape, JsonNode value, String path, List<String> problems) {
        String type = "long".equals(shape.type()) ? "Long" : "Integer";
        if (!value.isIntegralNumber() || !value.canConvertToLong()
                || ("Integer".equals(type) && !value.canConvertToInt())) {
            throw typeError(value, type, path);
        }
        range(shape, value.asDouble(), value, path, problems);
        return value;
    }

    private JsonNode decimal(Shape shape, JsonNode value, String path, List<String> problems) {
        if (!value.isNumber()) {
            throw typeError(value, "Double", path);
        }
        range(shape, value.asDouble(), value, path, problems);
        return value;
    }

    private static JsonNode bool(JsonNode value, String path) {
        if (!value.isBoolean()) {
            throw typeError(value, "Boolean", path);
        }
        return value;
    }

    private static JsonNode timestamp(JsonNode value, String path) {
        if (!value.isNumber()) {
            throw typeError(value, "Timestamp", path);
        }
        return value;
    }

    private static JsonNode blob(JsonNode value, String path) {
        if (!value.isTextual()) {
            throw typeError(value, "Blob", path);
        }
        try {
            Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw new BerthException(ErrorCode.SERIALIZATION, "Invalid base64 in '" + path + "'");
        }
        return value;
    }

    private static void length(Shape shape, int length, JsonNode value, String path, List<String> problems) {
        if (shape.min() != null && length < shape.min()) {
            problems.add("Value " + describe(value) + " at '" + path
                    + "' failed to satisfy constraint: Member must have length greater than or equal to "
                    + shape.min().longValue());
        }
        if (shape.max() != null && length > shape.max()) {
            problems.add("Value " + describe(value) + " at '" + path
                    + "' failed to satisfy constraint: Member must have length less than or equal to "
                    + shape.max().longValue());
        }
    }

    private static void range(Shape shape, double number, JsonNode value, String path, List<String> problems) {
        if (shape.min() != null && number < shape.min()) {
            problems.add("Value '" + value.asText() + "' at '" + path
                    + "' failed to satisfy constraint: Member must have value greater than or equal to "
                    + number(shape.min()));
        }
        if (shape.max() != null && number > shape.max()) {
            problems.add("Value '" + value.asText() + "' at '" + path
                    + "' failed to satisfy constraint: Member must have value less than or equal to "
                    + number(shape.max()));
        }
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "'" + abbreviate(value.textValue()) + "'";
        }
        return "'" + abbreviate(value.toString()) + "'";
    }

    private static String abbreviate(String text) {
        return text.length() <= 128 ? text : text.substring(0, 128) + "...";
    }

    private static BerthException typeError(JsonNode value, String expected, String path) {
        String where = path.isEmpty() ? "" : " (at '" + path + "')";
        if (value.isObject()) {
            return new BerthException(ErrorCode.SERIALIZATION,
                    "Start of structure or map found where not expected" + where + ".");
        }
        if (value.isArray()) {
            return new BerthException(ErrorCode.SERIALIZATION, "Start of list found where not expected" + where + ".");
        }
        String token = value.isTextual() ? "STRING_VALUE"
                : value.isBoolean() ? "BOOLEAN_VALUE"
                : value.isNumber() ? "NUMBER_VALUE" : value.getNodeType().name();
        String article = expected.startsWith("I") ? "an " : "a ";
        return new BerthException(ErrorCode.SERIALIZATION,
                token + " can not be converted to " + article + expected + where);
    }
}
