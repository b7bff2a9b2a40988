package io.berth.ecs.taskdef;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.arn.Account;
import io.berth.ecs.EcsJson;
import io.berth.ecs.tag.Tags;
import io.berth.testkit.store.InMemoryStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

/** Shared test helpers: JSON written with single quotes, a request context, a wired store. */
final class Fixtures {
    static final Account ACCOUNT = new Account("123456789012", "us-east-1");
    static final Instant T0 = Instant.parse("2024-06-21T16:15:12.669Z");

    private Fixtures() {
    }

    /** Parses JSON written with ' instead of " (no ' may appear in values). */
    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) EcsJson.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    /** Like {@link #json} for any JSON value. */
    static JsonNode tree(String singleQuoted) {
        try {
            return EcsJson.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    static RequestContext ctx(Instant at) {
        return new RequestContext("req-1", ACCOUNT, "AKIDEXAMPLE", at);
    }

    static RequestContext ctx() {
        return ctx(T0);
    }

    /** A fresh in-memory store with the task definition service and operations on it. */
    static final class Env {
        final InMemoryStateStore store = new InMemoryStateStore();
        final TaskDefinitions definitions = new TaskDefinitions(store, Duration.ofSeconds(5),
                new SplittableRandom(42));
        final Tags tags = new Tags(store);
        final TaskDefinitionOperations ops = new TaskDefinitionOperations(definitions, tags);

        ObjectNode registerJson(String singleQuoted) {
            return ops.register(ctx(), json(singleQuoted));
        }

        /** Registers a minimal valid revision of {@code family}; returns its revision number. */
        int register(String family) {
            ObjectNode in = json("{'family':'" + family + "','containerDefinitions':[{'name':'app','image':'nginx',"
                    + "'memory':128}]}");
            return ops.register(ctx(), in).get("taskDefinition").get("revision").asInt();
        }

        void deregister(String familyRevision) {
            ops.deregister(ctx(), json("{'taskDefinition':'" + familyRevision + "'}"));
        }
    }

    /**
     * Whether {@code actual} holds everything in {@code expected}: objects by member (actual may have
     * more), arrays element by element (same length), scalars equal.
     */
    static boolean contains(JsonNode actual, JsonNode expected) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (!actual.has(e.getKey()) || !contains(actual.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!contains(actual.get(i), expected.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return actual.equals(expected);
    }
}
