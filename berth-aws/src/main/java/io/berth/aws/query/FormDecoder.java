package io.berth.aws.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.model.Shape;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the parameters of a query-protocol request into the JSON tree of an input shape, as botocore
 * and the AWS SDKs serialize it:
 * <ul>
 *   <li>structure members: {@code Prefix.Member} (the member's {@code locationName} when set);</li>
 *   <li>lists: {@code Prefix.member.N} (1-based; {@code Prefix.N} when flattened); an empty list is
 *       {@code Prefix=} with an empty value;</li>
 *   <li>maps: {@code Prefix.entry.N.key} / {@code Prefix.entry.N.value};</li>
 *   <li>scalars: text; numbers and booleans are typed by their shape, timestamps (ISO-8601 or epoch
 *       seconds) become epoch seconds, blobs stay base64.</li>
 * </ul>
 * Parameters that no member names are ignored, as AWS does. Stateless and thread-safe.
 */
public final class FormDecoder {
    /** Most parameters one request may carry; more is refused rather than decoded. */
    public static final int MAX_PARAMETERS = 10_000;
    private static final int MAX_DEPTH = 32;

    private final QueryModel model;

    public FormDecoder(QueryModel model) {
        this.model = model;
    }

    /** Decodes {@code a=b&c=d} (form or query-string encoding) in order; a repeated name keeps its last value. */
    public static Map<String, String> parseForm(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        int start = 0;
        while (start <= encoded.length()) {
            int amp = encoded.indexOf('&', start);
            int end = amp < 0 ? encoded.length() : amp;
            if (end > start) {
                String pair = encoded.substring(start, end);
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.put(name, value);
                if (params.size() > MAX_PARAMETERS) {
                    throw new BerthException(ErrorCode.VALIDATION, "Too many parameters in the request.");
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BerthException(ErrorCode.SERIALIZATION, "Malformed percent-encoding in the request.");
        }
    }

    /** The input tree of {@code shapeName} from {@code params} ({@code Action} and {@code Version} are ignored). */
    public ObjectNode decode(String shapeName, Map<String, String> params) {
        if (shapeName == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        Node root = new Node();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String name = e.getKey();
            if (name.equals("Action") || name.equals("Version")) {
                continue;
            }
            String[] parts = name.split("\\.", -1);
            if (parts.length > MAX_DEPTH) {
                continue;
            }
            Node node = root;
            for (String part : parts) {
                node = node.children.computeIfAbsent(part, k -> new Node());
            }
            node.value = e.getValue();
        }
        JsonNode tree = visit(shapeName, root, "");
        return tree instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    private JsonNode visit(String shapeName, Node node, String path) {
        Shape shape = model.model().shape(shapeName);
        return switch (shape.type()) {
            case "structure" -> structure(shape, node, path);
            case "list" -> list(shape, node, path);
            case "map" -> map(shape, node, path);
            default -> scalar(shape, node, path);
        };
    }

    private JsonNode structure(Shape shape, Node node, String path) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> member : shape.members().entrySet()) {
            Node child = node.children.get(model.memberName(shape.name(), member.getKey()));
            if (child == null) {
                continue;
            }
            String memberPath = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
            JsonNode value = visit(member.getValue(), child, memberPath);
            if (value != null) {
                out.set(member.getKey(), value);
            }
        }
        return out;
    }

    private JsonNode list(Shape shape, Node node, String path) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Node items = model.flattened(shape.name()) ? node : node.children.get(model.listItemName(shape.name()));
        if (items == null) {
            return node.children.isEmpty() ? out : null;
        }
        int i = 1;
        for (Node item : indexed(items, path).values()) {
            JsonNode value = visit(shape.member(), item, path + "." + i++ + ".member");
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    private JsonNode map(Shape shape, Node node, String path) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Node entries = model.flattened(shape.name()) ? node : node.children.get("entry");
        if (entries == null) {
            return node.children.isEmpty() ? out : null;
        }
        String keyName = model.mapKeyName(shape.name());
        String valueName = model.mapValueName(shape.name());
        for (Node entry : indexed(entries, path).values()) {
            Node key = entry.children.get(keyName);
            Node value = entry.children.get(valueName);
            if (key == null || key.value == null || value == null) {
                continue;
            }
            JsonNode decoded = visit(shape.value(), value, path + ".entry." + key.value + ".value");
            if (decoded != null) {
                out.set(key.value, decoded);
            }
        }
        return out;
    }

    private static TreeMap<Integer, Node> indexed(Node parent, String path) {
        TreeMap<Integer, Node> byIndex = new TreeMap<>();
        for (Map.Entry<String, Node> e : parent.children.entrySet()) {
            try {
                int index = Integer.parseInt(e.getKey());
                if (index >= 1) {
                    byIndex.put(index, e.getValue());
                }
            } catch (NumberFormatException ignored) {
                // not an item of the list: ignored as an unknown parameter
            }
        }
        return byIndex;
    }

    private JsonNode scalar(Shape shape, Node node, String path) {
        String text = node.value;
        if (text == null) {
            return null;
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            return switch (shape.type()) {
                case "integer", "short", "byte" -> f.numberNode(Integer.parseInt(text.trim()));
                case "long" -> f.numberNode(Long.parseLong(text.trim()));
                case "float", "double", "bigdecimal" -> f.numberNode(new BigDecimal(text.trim()));
                case "boolean" -> {
                    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                        yield f.booleanNode(Boolean.parseBoolean(text));
                    }
                    throw invalid(text, path, "Member must be a boolean");
                }
                case "timestamp" -> {
                    BigDecimal seconds = timestamp(text, path);
                    yield seconds.scale() <= 0 ? f.numberNode(seconds.longValueExact()) : f.numberNode(seconds);
                }
                default -> f.textNode(text);
            };
        } catch (NumberFormatException e) {
            throw invalid(text, path, "Member must be a number");
        }
    }

    private static BigDecimal timestamp(String text, String path) {
        try {
            Instant instant = Instant.parse(text.trim());
            BigDecimal seconds = BigDecimal.valueOf(instant.getEpochSecond());
            return instant.getNano() == 0 ? seconds
                    : seconds.add(BigDecimal.valueOf(instant.getNano(), 9)).stripTrailingZeros();
        } catch (DateTimeParseException e) {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException nfe) {
                throw invalid(text, path, "Member must be a timestamp");
            }
        }
    }

    private static BerthException invalid(String text, String path, String constraint) {
        String value = text.length() > 128 ? text.substring(0, 128) + "..." : text;
        return new BerthException(ErrorCode.VALIDATION, "1 validation error detected: Value '" + value + "' at '"
                + path + "' failed to satisfy constraint: " + constraint);
    }

    private static final class Node {
        private String value;
        private final Map<String, Node> children = new LinkedHashMap<>();
    }

    /** Flattens a tree back into parameters; the inverse of {@link #decode}, for clients and tests. */
    public Map<String, String> encode(String shapeName, JsonNode value) {
        Map<String, String> out = new LinkedHashMap<>();
        encode(shapeName, value, "", out);
        return out;
    }

    private void encode(String shapeName, JsonNode value, String prefix, Map<String, String> out) {
        Shape shape = model.model().shape(shapeName);
        switch (shape.type()) {
            case "structure" -> shape.members().forEach((member, memberShape) -> {
                JsonNode v = value.get(member);
                if (v != null && !v.isNull()) {
                    String name = model.memberName(shapeName, member);
                    encode(memberShape, v, prefix.isEmpty() ? name : prefix + "." + name, out);
                }
            });
            case "list" -> {
                if (value.isEmpty()) {
                    out.put(prefix, "");
                }
                String itemPrefix = model.flattened(shapeName) ? prefix : prefix + "." + model.listItemName(shapeName);
                List<JsonNode> items = new ArrayList<>();
                value.forEach(items::add);
                for (int i = 0; i < items.size(); i++) {
                    encode(shape.member(), items.get(i), itemPrefix + "." + (i + 1), out);
                }
            }
            case "map" -> {
                String entryPrefix = model.flattened(shapeName) ? prefix : prefix + ".entry";
                int[] i = {1};
                value.fields().forEachRemaining(e -> {
                    out.put(entryPrefix + "." + i[0] + "." + model.mapKeyName(shapeName), e.getKey());
                    encode(shape.value(), e.getValue(), entryPrefix + "." + i[0] + "." + model.mapValueName(shapeName), out);
                    i[0]++;
                });
            }
            default -> out.put(prefix, value.asText());
        }
    }
}
