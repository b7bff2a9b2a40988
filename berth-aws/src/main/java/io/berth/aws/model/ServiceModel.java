package io.berth.aws.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An AWS API model, loaded from the botocore JSON form ({@code tools/strip-model.py} copies one into a
 * module's resources). It is the specification of every request shape Berth accepts.
 */
public final class ServiceModel {
    private final Map<String, String> metadata;
    private final Map<String, Operation> operations;
    private final Map<String, Shape> shapes;

    private ServiceModel(Map<String, String> metadata, Map<String, Operation> operations, Map<String, Shape> shapes) {
        this.metadata = Map.copyOf(metadata);
        this.operations = Map.copyOf(operations);
        this.shapes = Map.copyOf(shapes);
    }

    public static ServiceModel load(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no model resource " + resource + " beside " + anchor.getName());
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + resource, e);
        }
    }

    public static ServiceModel parse(JsonNode root) {
        Map<String, String> metadata = new HashMap<>();
        root.path("metadata").fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                metadata.put(e.getKey(), e.getValue().asText());
            }
        });
        Map<String, Operation> operations = new HashMap<>();
        root.path("operations").fields().forEachRemaining(e -> {
            JsonNode op = e.getValue();
            List<String> errors = new ArrayList<>();
            op.path("errors").forEach(err -> errors.add(err.path("shape").asText()));
            operations.put(e.getKey(), new Operation(e.getKey(),
                    op.path("input").path("shape").asText(null),
                    op.path("output").path("shape").asText(null),
                    List.copyOf(errors)));
        });
        Map<String, Shape> shapes = new HashMap<>();
        root.path("shapes").fields().forEachRemaining(e -> shapes.put(e.getKey(), shape(e.getKey(), e.getValue())));
        return new ServiceModel(metadata, operations, shapes);
    }

    private static Shape shape(String name, JsonNode node) {
        Map<String, String> members = new LinkedHashMap<>();
        node.path("members").fields().forEachRemaining(m -> members.put(m.getKey(), m.getValue().path("shape").asText()));
        LinkedHashSet<String> required = new LinkedHashSet<>();
        node.path("required").forEach(r -> required.add(r.asText()));
        List<String> enums = new ArrayList<>();
        node.path("enum").forEach(v -> enums.add(v.asText()));
        Pattern pattern = null;
        if (node.hasNonNull("pattern")) {
            try {
                pattern = Pattern.compile(node.get("pattern").asText());
            } catch (PatternSyntaxException ignored) {
                // A model pattern Java cannot read is not enforced.
            }
        }
        return new Shape(name,
                node.path("type").asText(),
                members,
                required,
                node.path("member").path("shape").asText(null),
                node.path("key").path("shape").asText(null),
                node.path("value").path("shape").asText(null),
                List.copyOf(enums),
                node.hasNonNull("min") ? node.get("min").asDouble() : null,
                node.hasNonNull("max") ? node.get("max").asDouble() : null,
                pattern,
                node.path("document").asBoolean(false),
                node.path("error").path("httpStatusCode").asInt(node.path("fault").asBoolean() ? 500
                        : node.path("exception").asBoolean() ? 400 : 0));
    }

    public String metadata(String key) {
        return metadata.get(key);
    }

    public String targetPrefix() {
        return metadata.get("targetPrefix");
    }

    public String signingName() {
        return metadata.getOrDefault("signingName", metadata.get("endpointPrefix"));
    }

    public Optional<Operation> operation(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    public Map<String, Operation> operations() {
        return operations;
    }

    public Shape shape(String name) {
        Shape shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("no shape " + name);
        }
        return shape;
    }

    public boolean hasShape(String name) {
        return shapes.containsKey(name);
    }
}
