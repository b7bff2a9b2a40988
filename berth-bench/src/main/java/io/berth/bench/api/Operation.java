package io.berth.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The ECS operations the API benchmark drives: their target, request bodies and setup. */
public enum Operation {
    /** {@code DescribeClusters} of one cluster, "bench", created in {@link #setup}. A read. */
    DESCRIBE_CLUSTERS("DescribeClusters") {
        @Override
        byte[] body(long n) {
            return DESCRIBE_BODY;
        }

        @Override
        List<Request> setup() {
            return List.of(new Request("CreateCluster", "{\"clusterName\":\"bench\"}".getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        String checkReply(JsonNode reply) {
            JsonNode cluster = reply.path("clusters").path(0);
            return cluster.path("clusterName").asText().equals("bench")
                    && cluster.path("status").asText().equals("ACTIVE")
                    ? null : "DescribeClusters did not return the ACTIVE cluster \"bench\"";
        }
    },

    /**
     * {@code RegisterTaskDefinition} of a small, realistic task definition: family
     * {@code bench-<n % 50>} (50: see {@link #setFamilies}), one essential container with an image, 128 MiB, a port mapping and
     * two environment variables. A durable write: each success is a new revision.
     */
    REGISTER_TASK_DEFINITION("RegisterTaskDefinition") {
        @Override
        byte[] body(long n) {
            return ("{\"family\":\"bench-" + (n % families) + "\","
                    + "\"containerDefinitions\":[{"
                    + "\"name\":\"web\","
                    + "\"image\":\"public.ecr.aws/nginx/nginx:1.27\","
                    + "\"memory\":128,"
                    + "\"essential\":true,"
                    + "\"portMappings\":[{\"containerPort\":80,\"hostPort\":0,\"protocol\":\"tcp\"}],"
                    + "\"environment\":[{\"name\":\"STAGE\",\"value\":\"bench\"},"
                    + "{\"name\":\"REQUEST\",\"value\":\"" + n + "\"}]"
                    + "}]}").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        List<Request> setup() {
            return List.of();
        }

        @Override
        String checkReply(JsonNode reply) {
            JsonNode td = reply.path("taskDefinition");
            return td.path("taskDefinitionArn").isTextual() && td.path("revision").asInt() > 0
                    && td.path("family").asText().startsWith("bench-")
                    ? null : "RegisterTaskDefinition did not return a task definition with a revision";
        }
    };

    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DESCRIBE_BODY = "{\"clusters\":[\"bench\"]}".getBytes(StandardCharsets.UTF_8);

    /** How many task definition families RegisterTaskDefinition spreads over. */
    private static volatile int families = 50;

    private final String apiName;
    private final String target;

    Operation(String apiName) {
        this.apiName = apiName;
        this.target = TARGET_PREFIX + apiName;
    }

    /** A request to send once: an ECS operation name and its body. */
    record Request(String apiName, byte[] body) {
        String target() {
            return TARGET_PREFIX + apiName;
        }
    }

    /** The API name, e.g. {@code DescribeClusters}. */
    public String apiName() {
        return apiName;
    }

    /** The {@code X-Amz-Target} header value. */
    public String target() {
        return target;
    }

    /** The body of the {@code n}-th request (n counts over all clients of a run). */
    abstract byte[] body(long n);

    /** Requests to send, in order, before the first measured one. */
    abstract List<Request> setup();

    /** Null if a 2xx reply is what this operation should return, else what is wrong with it. */
    abstract String checkReply(JsonNode reply);

    /** Null if a 2xx reply body is what this operation should return, else what is wrong with it. */
    String checkReply(byte[] body) {
        try {
            String problem = checkReply(JSON.readTree(body));
            return problem == null ? null : problem + ": " + new String(body, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return apiName + " answered a body that is not JSON: " + new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Spreads RegisterTaskDefinition over {@code n} families instead of 50: fewer families, more
     * concurrent registrations of one family (which ECS serializes: each gets the next revision).
     */
    static void setFamilies(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("families must be positive");
        }
        families = n;
    }

    /** How many families RegisterTaskDefinition spreads over. */
    static int families() {
        return families;
    }

    /** Parses an API name ({@code DescribeClusters}) or constant name ({@code DESCRIBE_CLUSTERS}). */
    public static Operation parse(String s) {
        for (Operation op : values()) {
            if (op.apiName.equalsIgnoreCase(s) || op.name().equalsIgnoreCase(s.replace('-', '_'))) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operation " + s + "; known: DescribeClusters, "
                + "RegisterTaskDefinition");
    }

    @Override
    public String toString() {
        return apiName;
    }
}
