package io.berth.aws.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.aws.model.Shape;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes an output tree as the XML of its shape, as the query protocol answers: one element per
 * structure member (in model order, {@code locationName} honoured), lists as
 * {@code <Name><member>..</member></Name>} (repeated {@code <Name>} when flattened), maps as
 * {@code <entry><key/><value/></entry>}, timestamps as ISO-8601 with milliseconds. Members the shape
 * does not name are left out. Stateless and thread-safe.
 */
public final class XmlEncoder {
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private final QueryModel model;

    /** {@code model} may be null for an encoder of errors only (no namespace). */
    public XmlEncoder(QueryModel model) {
        this.model = model;
    }

    /** The whole success document of {@code operation}. */
    public String response(String operation, String outputShape, JsonNode output, String requestId) {
        StringBuilder xml = new StringBuilder(512);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(operation).append("Response");
        namespace(xml);
        xml.append('>');
        String wrapper = model.resultWrapper(operation);
        if (wrapper != null) {
            xml.append('<').append(wrapper).append('>');
        }
        if (outputShape != null && output != null) {
            members(outputShape, output, xml);
        }
        if (wrapper != null) {
            xml.append("</").append(wrapper).append('>');
        }
        xml.append("<ResponseMetadata><RequestId>").append(escape(requestId)).append("</RequestId></ResponseMetadata></")
                .append(operation).append("Response>");
        return xml.toString();
    }

    /** The error document: {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>}. */
    public String error(String code, boolean senderFault, String message, String requestId) {
        StringBuilder xml = new StringBuilder(256);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse");
        namespace(xml);
        xml.append("><Error><Type>").append(senderFault ? "Sender" : "Receiver").append("</Type><Code>")
                .append(escape(code)).append("</Code>");
        if (message != null) {
            xml.append("<Message>").append(escape(message)).append("</Message>");
        }
        xml.append("</Error><RequestId>").append(escape(requestId)).append("</RequestId></ErrorResponse>");
        return xml.toString();
    }

    private void namespace(StringBuilder xml) {
        String ns = model == null ? null : model.xmlNamespace();
        if (ns != null) {
            xml.append(" xmlns=\"").append(escape(ns)).append('"');
        }
    }

    private void members(String shapeName, JsonNode value, StringBuilder xml) {
        Shape shape = model.model().shape(shapeName);
        for (Map.Entry<String, String> member : shape.members().entrySet()) {
            JsonNode v = value.get(member.getKey());
            if (v == null || v.isNull() || v.isMissingNode()) {
                continue;
            }
            element(member.getValue(), v, model.memberName(shapeName, member.getKey()), xml);
        }
    }

    private void element(String shapeName, JsonNode value, String name, StringBuilder xml) {
        Shape shape = model.model().shape(shapeName);
        switch (shape.type()) {
            case "structure" -> {
                xml.append('<').append(name).append('>');
                members(shapeName, value, xml);
                xml.append("</").append(name).append('>');
            }
            case "list" -> {
                if (model.flattened(shapeName)) {
                    for (JsonNode item : value) {
                        element(shape.member(), item, name, xml);
                    }
                    return;
                }
                xml.append('<').append(name).append('>');
                String item = model.listItemName(shapeName);
                for (JsonNode element : value) {
                    element(shape.member(), element, item, xml);
                }
                xml.append("</").append(name).append('>');
            }
            case "map" -> {
                boolean flat = model.flattened(shapeName);
                if (!flat) {
                    xml.append('<').append(name).append('>');
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    xml.append('<').append(flat ? name : "entry").append('>');
                    xml.append('<').append(model.mapKeyName(shapeName)).append('>').append(escape(e.getKey()))
                            .append("</").append(model.mapKeyName(shapeName)).append('>');
                    element(shape.value(), e.getValue(), model.mapValueName(shapeName), xml);
                    xml.append("</").append(flat ? name : "entry").append('>');
                }
                if (!flat) {
                    xml.append("</").append(name).append('>');
                }
            }
            case "timestamp" -> xml.append('<').append(name).append('>').append(timestamp(value))
                    .append("</").append(name).append('>');
            default -> xml.append('<').append(name).append('>').append(escape(value.asText()))
                    .append("</").append(name).append('>');
        }
    }

    private static String timestamp(JsonNode value) {
        if (value.isNumber()) {
            BigDecimal seconds = value.decimalValue();
            Instant instant = Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            return ISO.format(instant.truncatedTo(ChronoUnit.MILLIS));
        }
        return escape(value.asText());
    }

    /** Escapes text for XML character data and attribute values. */
    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\r' -> "&#13;";
                default -> c < 0x20 && c != '\n' && c != '\t' ? "" : null;
            };
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(replacement);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
