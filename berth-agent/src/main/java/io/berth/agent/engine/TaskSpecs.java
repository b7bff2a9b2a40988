package io.berth.agent.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.engine.TaskSpec.Condition;
import io.berth.agent.engine.TaskSpec.ContainerPlan;
import io.berth.agent.engine.TaskSpec.Dependency;
import io.berth.agent.engine.TaskSpec.VolumeFrom;
import io.berth.agent.engine.TaskSpec.VolumePlan;
import io.berth.core.agent.AgentLabels;
import io.berth.core.agent.DesiredTask;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState.PortBinding;
import io.berth.core.runtime.TaskLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link DesiredTask} (the registered task definition's JSON and the RunTask overrides)
 * into a {@link TaskSpec}: the one place where the ECS wire shapes of a task definition become engine
 * terms. Pure: no I/O, no clock.
 *
 * <p>What Berth cannot run yet is refused here, with the reason the task's {@code stoppedReason}
 * will carry: network mode awsvpc, secrets, EFS and FSx volumes, FireLens, private registry
 * credentials, environment files; and privileged containers when the host does not allow them.
 */
public final class TaskSpecs {
    /** The ECS agent's minimum CPU shares: Docker reads 0 as 1024 and refuses 1. */
    static final int MIN_CPU_SHARES = 2;
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(30);
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);
    static final int HEALTH_RETRIES = 3;
    private static final String CANNOT = "Berth cannot run this task yet: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskSpecs() {
    }

    /**
     * The spec of {@code task} on the container instance {@code instanceArn}. A task Berth will not
     * run comes back with a {@link TaskSpec#refusal()} and no containers.
     */
    public static TaskSpec read(DesiredTask task, String instanceArn, EngineSettings settings) {
        JsonNode td;
        JsonNode overrides;
        try {
            td = JSON.readTree(task.taskDefinitionJson() == null ? "{}" : task.taskDefinitionJson());
            overrides = JSON.readTree(task.overridesJson() == null || task.overridesJson().isBlank()
                    ? "{}" : task.overridesJson());
        } catch (JsonProcessingException e) {
            return TaskSpec.refused(task.family(), task.revision(),
                    "Berth cannot read the task definition: " + e.getOriginalMessage());
        }
        String family = text(td, "family", task.family());
        String revision = td.hasNonNull("revision") ? td.get("revision").asText() : task.revision();
        String refusal = refusal(td, overrides, settings);
        if (refusal != null) {
            return TaskSpec.refused(family, revision, refusal);
        }
        String networkMode = text(td, "networkMode", "bridge");
        Map<String, VolumePlan> volumes = new LinkedHashMap<>();
        for (JsonNode v : td.path("volumes")) {
            VolumePlan plan = volume(v, family, revision, task.taskArn(), instanceArn);
            volumes.put(plan.name(), plan);
        }
        Map<String, JsonNode> containerOverrides = new HashMap<>();
        for (JsonNode o : overrides.path("containerOverrides")) {
            containerOverrides.put(o.path("name").asText(), o);
        }
        Integer taskMemory = taskSize(overrides, "memory", taskSize(td, "memory", null));
        Integer taskCpu = taskSize(overrides, "cpu", taskSize(td, "cpu", null));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(AgentLabels.TASK_ARN, task.taskArn());
        labels.put(AgentLabels.CLUSTER, String.valueOf(task.cluster()));
        labels.put(AgentLabels.TASK_DEFINITION_FAMILY, String.valueOf(family));
        labels.put(AgentLabels.TASK_DEFINITION_VERSION, String.valueOf(revision));
        labels.put(AgentLabels.CONTAINER_INSTANCE, instanceArn);
        labels.put(AgentLabels.MANAGED, "true");

        List<ContainerPlan> containers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode c : td.path("containerDefinitions")) {
            names.add(c.path("name").asText());
        }
        for (JsonNode c : td.path("containerDefinitions")) {
            String name = c.path("name").asText();
            JsonNode o = containerOverrides.getOrDefault(name, JSON.createObjectNode());
            String problem = references(c, names, volumes);
            if (problem != null) {
                return TaskSpec.refused(family, revision, "Berth cannot run this task: " + problem);
            }
            containers.add(container(c, o, task, networkMode, volumes, labels, taskMemory, settings));
        }
        if (containers.isEmpty()) {
            return TaskSpec.refused(family, revision, "Berth cannot run this task: it has no containers");
        }
        String cycle = dependencyCycle(containers);
        if (cycle != null) {
            return TaskSpec.refused(family, revision, "Berth cannot run this task: dependsOn has a cycle through "
                    + "container " + cycle);
        }
        return new TaskSpec(family, revision, networkMode, containers, List.copyOf(volumes.values()), null,
                limits(taskCpu, taskMemory, containers.stream().map(p -> p.template().cpuShares()).toList()));
    }

    /** The ECS agent's CFS period for task CPU limits ({@code ECS_CGROUP_CPU_PERIOD}, 100 ms). */
    static final long CPU_PERIOD_MICROS = 100_000;

    /**
     * What the task's cgroup holds, as the ECS agent builds it: task {@code cpu} units as a CFS quota
     * ({@code cpu / 1024} CPUs per period), else the sum of the containers' CPU shares (each at least
     * 2); task {@code memory} MiB as a hard limit. Null when the task has neither: its containers run
     * on their own limits, without a task cgroup.
     */
    static TaskLimits limits(Integer taskCpu, Integer taskMemoryMib, List<Integer> containerCpuShares) {
        if ((taskCpu == null || taskCpu <= 0) && (taskMemoryMib == null || taskMemoryMib <= 0)) {
            return null;
        }
        Long memory = taskMemoryMib == null || taskMemoryMib <= 0 ? null : mebibytes(taskMemoryMib);
        if (taskCpu != null && taskCpu > 0) {
            long quota = Math.max(TaskLimits.MIN_QUOTA_MICROS, taskCpu * CPU_PERIOD_MICROS / 1024);
            return new TaskLimits(memory, quota, CPU_PERIOD_MICROS, null);
        }
        long shares = 0;
        for (int c : containerCpuShares) {
            shares += Math.max(MIN_CPU_SHARES, c);
        }
        shares = Math.min(TaskLimits.MAX_SHARES, Math.max(TaskLimits.MIN_SHARES, shares));
        return new TaskLimits(memory, null, CPU_PERIOD_MICROS, shares);
    }

    /**
     * As {@link #concrete(ContainerPlan, String, Map, Map)}, the container under the task cgroup
     * {@code cgroupParent} (null when there is none): there it has no memory limit of its own unless
     * its definition gives one, as the task's binds all its containers together.
     */
    public static ContainerSpec concrete(ContainerPlan plan, String hostName, Map<String, String> runtimeIds,
                                         Map<String, String> environment, String cgroupParent) {
        ContainerSpec spec = concrete(plan, hostName, runtimeIds, environment);
        if (cgroupParent == null) {
            return spec;
        }
        spec = spec.withCgroupParent(cgroupParent);
        return plan.memoryFromTask() ? spec.withMemoryBytes(null) : spec;
    }

    /**
     * The host name of a container: {@code ecs-<family>-<revision>-<name>-<suffix>}, as the ECS agent
     * names it; the engine passes the task id as the suffix, so the engine itself refuses a second
     * container for the same task and container name.
     */
    public static String hostName(TaskSpec spec, String containerName, String suffix) {
        return "ecs-" + spec.family() + "-" + spec.revision() + "-" + containerName + "-" + suffix;
    }

    /** {@code template} with its host name and the runtime ids of its volumesFrom sources. */
    public static ContainerSpec concrete(ContainerPlan plan, String hostName, Map<String, String> runtimeIds) {
        return concrete(plan, hostName, runtimeIds, Map.of());
    }

    /**
     * As {@link #concrete(ContainerPlan, String, Map)}, with {@code environment} added to the
     * definition's (the agent's own variables, such as ECS_CONTAINER_METADATA_URI_V4, win).
     */
    public static ContainerSpec concrete(ContainerPlan plan, String hostName, Map<String, String> runtimeIds,
                                         Map<String, String> environment) {
        ContainerSpec t = plan.template();
        Map<String, String> env = t.environment();
        if (!environment.isEmpty()) {
            env = new LinkedHashMap<>(t.environment());
            env.putAll(environment);
        }
        List<String> volumesFrom = plan.volumesFrom().stream()
                .map(v -> runtimeIds.get(v.sourceContainer()) + (v.readOnly() ? ":ro" : ""))
                .toList();
        return new ContainerSpec(hostName, t.image(), t.command(), t.entryPoint(), env,
                t.workingDirectory(), t.user(), t.labels(), t.networkMode(), t.ports(), t.cpuShares(), t.memoryBytes(),
                t.memoryReservationBytes(), t.ulimits(), t.readonlyRootFilesystem(), t.init(), t.privileged(),
                t.binds(), volumesFrom, t.healthCheck(), t.stopTimeout(), t.extraHosts());
    }

    // ---- refusals -----------------------------------------------------------------------------

    private static String refusal(JsonNode td, JsonNode overrides, EngineSettings settings) {
        if ("awsvpc".equals(td.path("networkMode").asText())) {
            return CANNOT + "network mode awsvpc is not supported";
        }
        for (JsonNode v : td.path("volumes")) {
            String name = v.path("name").asText();
            if (v.hasNonNull("efsVolumeConfiguration")) {
                return CANNOT + "EFS volumes are not supported (volume " + name + ")";
            }
            if (v.hasNonNull("fsxWindowsFileServerVolumeConfiguration")) {
                return CANNOT + "FSx volumes are not supported (volume " + name + ")";
            }
            if (v.path("configuredAtLaunch").asBoolean(false)) {
                return CANNOT + "volumes configured at launch are not supported (volume " + name + ")";
            }
        }
        for (JsonNode c : td.path("containerDefinitions")) {
            String name = c.path("name").asText();
            if (nonEmpty(c.path("secrets"))) {
                return CANNOT + "secrets are not supported (container " + name + ")";
            }
            if (c.hasNonNull("firelensConfiguration")) {
                return CANNOT + "FireLens log routing is not supported (container " + name + ")";
            }
            if (c.hasNonNull("repositoryCredentials")) {
                return CANNOT + "private registry credentials (repositoryCredentials) are not supported (container "
                        + name + ")";
            }
            if (nonEmpty(c.path("environmentFiles"))) {
                return CANNOT + "environment files are not supported (container " + name + ")";
            }
            if (c.path("privileged").asBoolean(false) && !settings.allowPrivileged()) {
                return "privileged containers are not allowed on this container instance (container " + name
                        + "); the agent must be started with privileged containers allowed";
            }
        }
        for (JsonNode o : overrides.path("containerOverrides")) {
            if (nonEmpty(o.path("environmentFiles"))) {
                return CANNOT + "environment files are not supported (override of container "
                        + o.path("name").asText() + ")";
            }
        }
        return null;
    }

    /** A reference to a container or volume the task does not declare. */
    private static String references(JsonNode c, Set<String> names, Map<String, VolumePlan> volumes) {
        String name = c.path("name").asText();
        for (JsonNode d : c.path("dependsOn")) {
            String dep = d.path("containerName").asText();
            if (!names.contains(dep) || dep.equals(name)) {
                return "container " + name + " depends on " + dep + ", which is not another container of the task";
            }
            try {
                Condition.valueOf(d.path("condition").asText("START"));
            } catch (IllegalArgumentException e) {
                return "container " + name + " has the unknown dependsOn condition " + d.path("condition").asText();
            }
        }
        for (JsonNode v : c.path("volumesFrom")) {
            String source = v.path("sourceContainer").asText();
            if (!names.contains(source) || source.equals(name)) {
                return "container " + name + " mounts the volumes of " + source
                        + ", which is not another container of the task";
            }
        }
        for (JsonNode m : c.path("mountPoints")) {
            String volume = m.path("sourceVolume").asText();
            if (!volumes.containsKey(volume)) {
                return "container " + name + " mounts volume " + volume + ", which the task definition does not declare";
            }
        }
        return null;
    }

    /** A container on a dependsOn or volumesFrom cycle, or null. */
    private static String dependencyCycle(List<ContainerPlan> containers) {
        Map<String, List<String>> edges = new HashMap<>();
        for (ContainerPlan c : containers) {
            List<String> out = new ArrayList<>();
            c.dependsOn().forEach(d -> out.add(d.container()));
            c.volumesFrom().forEach(v -> out.add(v.sourceContainer()));
            edges.put(c.name(), out);
        }
        Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        for (ContainerPlan c : containers) {
            String found = visit(c.name(), edges, state);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String visit(String node, Map<String, List<String>> edges, Map<String, Integer> state) {
        Integer s = state.get(node);
        if (s != null) {
            return s == 1 ? node : null;
        }
        state.put(node, 1);
        for (String next : edges.getOrDefault(node, List.of())) {
            String found = visit(next, edges, state);
            if (found != null) {
                return found;
            }
        }
        state.put(node, 2);
        return null;
    }

    // ---- containers ---------------------------------------------------------------------------

    private static ContainerPlan container(JsonNode c, JsonNode o, DesiredTask task, String networkMode,
                                           Map<String, VolumePlan> volumes, Map<String, String> berthLabels,
                                           Integer taskMemory, EngineSettings settings) {
        String name = c.path("name").asText();
        String image = c.path("image").asText();

        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode e : c.path("environment")) {
            environment.put(e.path("name").asText(), e.path("value").asText(""));
        }
        for (JsonNode e : o.path("environment")) {
            environment.put(e.path("name").asText(), e.path("value").asText(""));
        }
        List<String> command = strings(o.has("command") ? o.path("command") : c.path("command"));
        List<String> entryPoint = strings(c.path("entryPoint"));

        Map<String, String> labels = new LinkedHashMap<>();
        c.path("dockerLabels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.putAll(berthLabels);
        labels.put(AgentLabels.CONTAINER_NAME, name);

        List<PortBinding> ports = new ArrayList<>();
        String engineNetworkMode = switch (networkMode) {
            case "host" -> "host";
            case "none" -> "none";
            default -> "bridge";
        };
        List<TaskSpec.PortRange> ranges = new ArrayList<>();
        if ("bridge".equals(engineNetworkMode)) {
            for (JsonNode p : c.path("portMappings")) {
                if (!p.hasNonNull("containerPort")) {
                    TaskSpec.PortRange range = portRange(p);
                    if (range != null) {
                        ranges.add(range);
                        ports.addAll(publishRange(range, settings.hostAddress()));
                    }
                    continue;
                }
                int containerPort = p.path("containerPort").asInt();
                String protocol = p.path("protocol").asText("tcp").toLowerCase(Locale.ROOT);
                Integer reserved = task.hostPorts().get(name + "/" + containerPort + "/" + protocol);
                int hostPort = reserved != null ? reserved : p.path("hostPort").asInt(0);
                ports.add(new PortBinding(containerPort, protocol, settings.hostAddress(), hostPort));
            }
        } else if ("host".equals(engineNetworkMode)) {
            // Nothing is published: the container listens on the host's own ports, as ECS reports them.
            for (JsonNode p : c.path("portMappings")) {
                if (p.hasNonNull("containerPort")) {
                    int containerPort = p.path("containerPort").asInt();
                    ports.add(new PortBinding(containerPort, p.path("protocol").asText("tcp").toLowerCase(Locale.ROOT),
                            "0.0.0.0", containerPort));
                }
            }
        }

        int cpu = integer(o, "cpu", integer(c, "cpu", 0));
        Integer ownMemory = integer(o, "memory", integer(c, "memory", null));
        Integer memory = ownMemory != null ? ownMemory : taskMemory;
        Integer memoryReservation = integer(o, "memoryReservation", integer(c, "memoryReservation", null));

        List<ContainerSpec.Ulimit> ulimits = new ArrayList<>();
        for (JsonNode u : c.path("ulimits")) {
            ulimits.add(new ContainerSpec.Ulimit(u.path("name").asText(), u.path("softLimit").asLong(),
                    u.path("hardLimit").asLong()));
        }
        List<String> extraHosts = new ArrayList<>();
        for (JsonNode h : c.path("extraHosts")) {
            extraHosts.add(h.path("hostname").asText() + ":" + h.path("ipAddress").asText());
        }

        List<String> binds = new ArrayList<>();
        List<String> mounted = new ArrayList<>();
        for (JsonNode m : c.path("mountPoints")) {
            VolumePlan v = volumes.get(m.path("sourceVolume").asText());
            binds.add(v.source() + ":" + m.path("containerPath").asText()
                    + (m.path("readOnly").asBoolean(false) ? ":ro" : ""));
            if (!mounted.contains(v.name())) {
                mounted.add(v.name());
            }
        }
        List<VolumeFrom> volumesFrom = new ArrayList<>();
        for (JsonNode v : c.path("volumesFrom")) {
            volumesFrom.add(new VolumeFrom(v.path("sourceContainer").asText(), v.path("readOnly").asBoolean(false)));
        }
        List<Dependency> dependsOn = new ArrayList<>();
        for (JsonNode d : c.path("dependsOn")) {
            dependsOn.add(new Dependency(d.path("containerName").asText(),
                    Condition.valueOf(d.path("condition").asText("START"))));
        }

        ContainerSpec.HealthCheck healthCheck = null;
        JsonNode hc = c.path("healthCheck");
        if (hc.isObject() && nonEmpty(hc.path("command"))) {
            healthCheck = new ContainerSpec.HealthCheck(strings(hc.path("command")),
                    seconds(hc, "interval", HEALTH_INTERVAL), seconds(hc, "timeout", HEALTH_TIMEOUT),
                    hc.path("retries").asInt(HEALTH_RETRIES), seconds(hc, "startPeriod", Duration.ZERO));
        }
        Duration stopTimeout = seconds(c, "stopTimeout", settings.stopTimeout());

        ContainerSpec template = new ContainerSpec(
                name, image, command, entryPoint, environment,
                textOrNull(c, "workingDirectory"), textOrNull(c, "user"), labels, engineNetworkMode, ports,
                Math.max(MIN_CPU_SHARES, cpu), mebibytes(memory), mebibytes(memoryReservation), ulimits,
                c.path("readonlyRootFilesystem").asBoolean(false),
                c.path("linuxParameters").path("initProcessEnabled").asBoolean(false),
                c.path("privileged").asBoolean(false), binds, List.of(), healthCheck, stopTimeout, extraHosts);
        return new ContainerPlan(name, c.path("essential").asBoolean(true), image, dependsOn, volumesFrom, mounted,
                template, stopTimeout, healthCheck != null, ranges, ownMemory == null && taskMemory != null);
    }

    /** A {@code containerPortRange} mapping ({@code "first-last"}), or null if it is not one. */
    static TaskSpec.PortRange portRange(JsonNode mapping) {
        String text = mapping.path("containerPortRange").asText("");
        int dash = text.indexOf('-');
        try {
            int first = Integer.parseInt(dash < 0 ? text : text.substring(0, dash).trim());
            int last = dash < 0 ? first : Integer.parseInt(text.substring(dash + 1).trim());
            return last < first ? null
                    : new TaskSpec.PortRange(first, last, mapping.path("protocol").asText("tcp").toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The bindings of a range: contiguous free host ports when there are (ECS reports them as one
     * hostPortRange), else each port on an ephemeral host port of the engine's choosing.
     */
    private static List<PortBinding> publishRange(TaskSpec.PortRange range, String address) {
        java.util.OptionalInt first = HostPortRanges.system().reserve(address, range.size(), range.protocol());
        List<PortBinding> bindings = new ArrayList<>();
        for (int i = 0; i < range.size(); i++) {
            bindings.add(new PortBinding(range.first() + i, range.protocol(), address,
                    first.isPresent() ? first.getAsInt() + i : 0));
        }
        return bindings;
    }

    // ---- volumes ------------------------------------------------------------------------------

    private static VolumePlan volume(JsonNode v, String family, String revision, String taskArn, String instanceArn) {
        String name = v.path("name").asText();
        JsonNode host = v.path("host");
        if (host.hasNonNull("sourcePath")) {
            return new VolumePlan(name, VolumePlan.Kind.HOST, host.path("sourcePath").asText(), null, false, null,
                    null, null);
        }
        JsonNode docker = v.path("dockerVolumeConfiguration");
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> driverOptions = new LinkedHashMap<>();
        String driver = null;
        boolean shared = false;
        boolean autoprovision = false;
        if (docker.isObject()) {
            docker.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            docker.path("driverOpts").fields().forEachRemaining(e -> driverOptions.put(e.getKey(),
                    e.getValue().asText()));
            driver = textOrNull(docker, "driver");
            shared = "shared".equals(docker.path("scope").asText("task"));
            autoprovision = docker.path("autoprovision").asBoolean(false);
        }
        labels.put(AgentLabels.CONTAINER_INSTANCE, instanceArn);
        labels.put(AgentLabels.MANAGED, "true");
        if (shared) {
            // The ECS agent creates a shared volume only with autoprovision; without it the volume must
            // exist (Docker would create a plain local one on first use).
            return new VolumePlan(name, VolumePlan.Kind.SHARED, null, name, autoprovision, driver, driverOptions,
                    labels);
        }
        labels.put(AgentLabels.TASK_ARN, taskArn);
        return new VolumePlan(name, VolumePlan.Kind.TASK, null, taskVolumeName(family, revision, name, taskArn), true,
                driver, driverOptions, labels);
    }

    /** {@code ecs-<family>-<revision>-<volume>-<task id>}: stable across agent restarts. */
    static String taskVolumeName(String family, String revision, String volume, String taskArn) {
        return "ecs-" + family + "-" + revision + "-" + volume + "-" + taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    // ---- JSON helpers -------------------------------------------------------------------------

    private static boolean nonEmpty(JsonNode n) {
        return n != null && ((n.isArray() && !n.isEmpty()) || (n.isObject() && !n.isEmpty()));
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static String text(JsonNode n, String field, String fallback) {
        return n.hasNonNull(field) && !n.get(field).asText().isEmpty() ? n.get(field).asText() : fallback;
    }

    private static String textOrNull(JsonNode n, String field) {
        return text(n, field, null);
    }

    /** An integer field; ECS sends task cpu/memory as strings ("512"). */
    private static Integer integer(JsonNode n, String field, Integer fallback) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isNumber()) {
            return v.asInt();
        }
        try {
            return Integer.valueOf(v.asText().strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static final java.util.regex.Pattern SIZE =
            java.util.regex.Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(vcpus?|gb|gib|mb|mib)?\\s*");

    /**
     * A task-level {@code cpu} (units, or {@code "1 vCPU"}) or {@code memory} (MiB, or {@code "2 GB"}),
     * as whole units or MiB; {@code fallback} when absent or unreadable.
     */
    static Integer taskSize(JsonNode n, String field, Integer fallback) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isNumber()) {
            return v.asInt();
        }
        java.util.regex.Matcher m = SIZE.matcher(v.asText());
        if (!m.matches()) {
            return fallback;
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        if (unit.startsWith("vcpu") || unit.startsWith("g")) {
            value *= 1024;
        }
        return value >= 1 && value <= Integer.MAX_VALUE ? (int) value : fallback;
    }

    private static Duration seconds(JsonNode n, String field, Duration fallback) {
        Integer s = integer(n, field, null);
        return s == null ? fallback : Duration.ofSeconds(s);
    }

    private static Long mebibytes(Integer mib) {
        return mib == null ? null : mib * 1024L * 1024L;
    }
}
