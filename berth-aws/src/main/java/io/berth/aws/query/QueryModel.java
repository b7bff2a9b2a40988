package io.berth.aws.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.aws.model.ServiceModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A botocore model of a query-protocol service with the serialization traits that
 * {@link ServiceModel} leaves out: {@code locationName}, {@code flattened}, the XML namespace, each
 * operation's {@code resultWrapper} and each error shape's wire code. Immutable.
 */
public final class QueryModel {
    private final ServiceModel model;
    private final JsonNode root;

    private QueryModel(JsonNode root) {
        this.root = root;
        this.model = ServiceModel.parse(root);
    }

    public static QueryModel load(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no model resource " + resource + " beside " + anchor.getName());
            }
            return new QueryModel(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + resource, e);
        }
    }

    public static QueryModel parse(JsonNode root) {
        return new QueryModel(root);
    }

    public ServiceModel model() {
        return model;
    }

    public String apiVersion() {
        return model.metadata("apiVersion");
    }

    public String xmlNamespace() {
        return model.metadata("xmlNamespace");
    }

    public String signingName() {
        return model.signingName();
    }

    /** The element wrapping an operation's output ({@code CreateLoadBalancerResult}), or null. */
    public String resultWrapper(String operation) {
        return root.path("operations").path(operation).path("output").path("resultWrapper").asText(null);
    }

    /** The wire name of a structure member: its {@code locationName}, else the member name. */
    public String memberName(String shape, String member) {
        return root.path("shapes").path(shape).path("members").path(member).path("locationName").asText(member);
    }

    /** The element name of a list's items ({@code member} unless the model says otherwise). */
    public String listItemName(String shape) {
        return root.path("shapes").path(shape).path("member").path("locationName").asText("member");
    }

    public String mapKeyName(String shape) {
        return root.path("shapes").path(shape).path("key").path("locationName").asText("key");
    }

    public String mapValueName(String shape) {
        return root.path("shapes").path(shape).path("value").path("locationName").asText("value");
    }

    public boolean flattened(String shape) {
        return root.path("shapes").path(shape).path("flattened").asBoolean(false);
    }

    /** The {@code Code} an error shape carries on the wire (its {@code error.code}, else its name). */
    public String errorCode(String shape) {
        return root.path("shapes").path(shape).path("error").path("code").asText(shape);
    }
}
