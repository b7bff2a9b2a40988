package io.berth.aws.cbor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.berth.aws.model.ServiceModel;
import io.berth.aws.model.Shape;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes an output tree (as the JSON protocols' handlers build it) as RPC v2 CBOR, guided by the
 * output shape: timestamps become tag 1 (epoch seconds), blobs byte strings, numbers of the shape's
 * type. Members without a known shape are written as they are.
 */
final class CborShapes {
    private static final int EPOCH_TAG = 1;

    private CborShapes() {
    }

    static void write(CBORGenerator gen, JsonNode value, String shapeName, ServiceModel model) throws IOException {
        Shape shape = shapeName != null && model.hasShape(shapeName) ? model.shape(shapeName) : null;
        if (shape == null || value.isNull()) {
            gen.writeTree(value);
            return;
        }
        switch (shape.type()) {
            case "structure" -> {
                gen.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    gen.writeFieldName(e.getKey());
                    write(gen, e.getValue(), shape.members().get(e.getKey()), model);
                }
                gen.writeEndObject();
            }
            case "list" -> {
                gen.writeStartArray();
                for (JsonNode element : value) {
                    write(gen, element, shape.member(), model);
                }
                gen.writeEndArray();
            }
            case "map" -> {
                gen.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    gen.writeFieldName(e.getKey());
                    write(gen, e.getValue(), shape.value(), model);
                }
                gen.writeEndObject();
            }
            case "timestamp" -> {
                gen.writeTag(EPOCH_TAG);
                if (value.isIntegralNumber()) {
                    gen.writeNumber(value.longValue());
                } else {
                    gen.writeNumber(value.doubleValue());
                }
            }
            case "blob" -> gen.writeBinary(value.isBinary() ? value.binaryValue()
                    : Base64.getDecoder().decode(value.asText()));
            case "double", "float" -> gen.writeNumber(value.doubleValue());
            case "integer", "long", "short", "byte" -> gen.writeNumber(value.longValue());
            default -> gen.writeTree(value);
        }
    }
}
