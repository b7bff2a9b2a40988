package io.berth.registry.image;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads manifests and indexes (Docker schema 2, OCI image spec 1.1) and checks what the registry
 * relies on: schemaVersion 2, a supported media type agreeing with the one declared, well-formed
 * descriptors. Refuses with {@link RegistryError#MANIFEST_INVALID}. Stateless.
 */
public final class ManifestParser {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private ManifestParser() {
    }

    /**
     * Parses {@code bytes}; {@code declaredType} is the Content-Type (or ECR's
     * imageManifestMediaType) the client gave, or null.
     */
    public static Manifest parse(byte[] bytes, String declaredType) {
        JsonNode root;
        try {
            root = STRICT.readTree(bytes);
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("manifest is not a JSON object");
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.isIntegralNumber() || version.asInt() != 2) {
            if (version != null && version.asInt() == 1) {
                throw invalid("Docker schema 1 manifests are not supported; push with schema 2 or OCI");
            }
            throw invalid("schemaVersion must be 2");
        }
        String bodyType = text(root, "mediaType");
        String declared = MediaTypes.bare(declaredType);
        if (declared != null && !MediaTypes.ALL.contains(declared)
                && !declared.equals(MediaTypes.DOCKER_SCHEMA1) && !declared.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
            declared = null; // application/json and the like say nothing
        }
        if (bodyType != null && declared != null && !bodyType.equals(declared)) {
            throw invalid("mediaType '" + bodyType + "' in the manifest does not match the declared '" + declared + "'");
        }
        String type = bodyType != null ? bodyType : declared != null ? declared
                : root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        if (!MediaTypes.ALL.contains(type)) {
            throw invalid("unsupported manifest media type '" + type + "'");
        }
        Descriptor subject = root.has("subject") ? descriptor(root.get("subject"), "subject") : null;
        String artifactType = text(root, "artifactType");
        Map<String, String> annotations = annotations(root.get("annotations"), "annotations");
        if (MediaTypes.isIndex(type)) {
            JsonNode manifests = root.get("manifests");
            if (manifests == null || !manifests.isArray()) {
                throw invalid("an index must have a 'manifests' array");
            }
            List<Descriptor> entries = new ArrayList<>();
            for (int i = 0; i < manifests.size(); i++) {
                entries.add(descriptor(manifests.get(i), "manifests[" + i + "]"));
            }
            return new Manifest(type, null, List.of(), entries, subject, artifactType, annotations);
        }
        JsonNode config = root.get("config");
        if (config == null) {
            throw invalid("a manifest must have a 'config' descriptor");
        }
        Descriptor configDescriptor = descriptor(config, "config");
        List<Descriptor> layers = new ArrayList<>();
        JsonNode layerNodes = root.get("layers");
        if (layerNodes != null) {
            if (!layerNodes.isArray()) {
                throw invalid("'layers' must be an array");
            }
            for (int i = 0; i < layerNodes.size(); i++) {
                layers.add(descriptor(layerNodes.get(i), "layers[" + i + "]"));
            }
        }
        return new Manifest(type, configDescriptor, layers, List.of(), subject, artifactType, annotations);
    }

    private static Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw invalid(where + " must be a descriptor object");
        }
        String mediaType = text(node, "mediaType");
        if (mediaType == null) {
            throw invalid(where + ".mediaType is missing");
        }
        Digest digest = Digest.tryParse(text(node, "digest"))
                .orElseThrow(() -> new RegistryException(RegistryError.DIGEST_INVALID,
                        where + ".digest is not a valid sha256 or sha512 digest"));
        JsonNode size = node.get("size");
        if (size == null || !size.isIntegralNumber() || size.asLong() < 0) {
            throw invalid(where + ".size must be a non-negative integer");
        }
        Descriptor.Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null && p.isObject()) {
            platform = new Descriptor.Platform(text(p, "os"), text(p, "architecture"), text(p, "variant"));
        }
        List<String> urls = new ArrayList<>();
        JsonNode u = node.get("urls");
        if (u != null && u.isArray()) {
            u.forEach(x -> urls.add(x.asText()));
        }
        return new Descriptor(mediaType, digest, size.asLong(), text(node, "artifactType"),
                annotations(node.get("annotations"), where + ".annotations"), platform, urls);
    }

    private static Map<String, String> annotations(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(where + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw invalid(where + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(RegistryError.MANIFEST_INVALID, message);
    }
}
