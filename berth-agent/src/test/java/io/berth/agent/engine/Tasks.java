package io.berth.agent.engine;

import io.berth.core.agent.DesiredTask;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Desired tasks and task definitions for tests. */
public final class Tasks {
    public static final String ACCOUNT = "000000000000";
    public static final String INSTANCE = "arn:aws:ecs:us-east-1:" + ACCOUNT + ":container-instance/default/0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public static final String CLUSTER = "arn:aws:ecs:us-east-1:" + ACCOUNT + ":cluster/default";

    private Tasks() {
    }

    public static String arn(String id) {
        return "arn:aws:ecs:us-east-1:" + ACCOUNT + ":task/default/" + id;
    }

    /**
     * A task definition of {@code family}:1. Each part is a container definition (a JSON object), or
     * extra top-level members ({@code "networkMode":"host",}, each ending in a comma).
     */
    public static String td(String family, String... parts) {
        String extra = Arrays.stream(parts).filter(p -> !p.startsWith("{")).collect(Collectors.joining());
        String containers = Arrays.stream(parts).filter(p -> p.startsWith("{")).collect(Collectors.joining(","));
        return "{\"family\":\"" + family + "\",\"revision\":1," + extra + "\"containerDefinitions\":["
                + containers + "]}";
    }

    /** A container definition: {@code name}, image {@code image}, plus extra members. */
    public static String container(String name, String image, String extra) {
        return "{\"name\":\"" + name + "\",\"image\":\"" + image + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    public static DesiredTask running(String id, String tdJson) {
        return running(id, tdJson, "{}", Map.of());
    }

    public static DesiredTask running(String id, String tdJson, String overrides, Map<String, Integer> hostPorts) {
        String family = tdJson.replaceAll("(?s)^\\{\"family\":\"([^\"]+)\".*$", "$1");
        return new DesiredTask(arn(id), CLUSTER, family, "1", "RUNNING",
                "arn:aws:ecs:us-east-1:" + ACCOUNT + ":task-definition/" + family + ":1", tdJson, overrides, hostPorts,
                null, null);
    }

    public static DesiredTask stopped(DesiredTask t) {
        return new DesiredTask(t.taskArn(), t.cluster(), t.family(), t.revision(), "STOPPED", t.taskDefinitionArn(),
                t.taskDefinitionJson(), t.overridesJson(), t.hostPorts(), "Task stopped by user", t.registryAuth());
    }
}
