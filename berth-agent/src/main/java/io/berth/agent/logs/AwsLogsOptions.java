package io.berth.agent.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.agent.DesiredTask;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A container definition's {@code logConfiguration} with the {@code awslogs} driver, as the agent
 * carries it out: the container keeps Docker's default json-file driver and the agent ships what it
 * writes to Berth's CloudWatch Logs API.
 *
 * @param group awslogs-group (required)
 * @param region awslogs-region (the region requests are signed for; null: the agent's)
 * @param streamPrefix awslogs-stream-prefix: the stream is {@code prefix/container-name/task-id};
 *     without it, the container's id (as Docker's awslogs driver names it)
 * @param createGroup awslogs-create-group
 * @param eventStart a line matching it begins a new event (awslogs-datetime-format, converted, or
 *     else awslogs-multiline-pattern); null: every line is an event
 * @param options every option as given, for the task metadata endpoint's LogOptions
 */
public record AwsLogsOptions(String group, String region, String streamPrefix, boolean createGroup,
                             Pattern eventStart, Map<String, String> options) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public AwsLogsOptions {
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** The awslogs options of container {@code containerName} of {@code task}, if it uses awslogs. */
    public static Optional<AwsLogsOptions> of(DesiredTask task, String containerName) {
        if (task == null || task.taskDefinitionJson() == null) {
            return Optional.empty();
        }
        try {
            JsonNode td = JSON.readTree(task.taskDefinitionJson());
            for (JsonNode c : td.path("containerDefinitions")) {
                if (containerName.equals(c.path("name").asText())) {
                    return of(c.path("logConfiguration"));
                }
            }
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** From a {@code logConfiguration} object; empty when its driver is not awslogs or it names no group. */
    public static Optional<AwsLogsOptions> of(JsonNode logConfiguration) {
        if (logConfiguration == null || !"awslogs".equals(logConfiguration.path("logDriver").asText())) {
            return Optional.empty();
        }
        Map<String, String> options = new LinkedHashMap<>();
        logConfiguration.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        String group = options.get("awslogs-group");
        if (group == null || group.isBlank()) {
            return Optional.empty();
        }
        Pattern start = null;
        String datetime = options.get("awslogs-datetime-format");
        String multiline = options.get("awslogs-multiline-pattern");
        try {
            if (datetime != null && !datetime.isEmpty()) {
                start = Pattern.compile("^" + Strftime.toRegex(datetime));
            } else if (multiline != null && !multiline.isEmpty()) {
                start = Pattern.compile(multiline);
            }
        } catch (PatternSyntaxException e) {
            start = null;
        }
        String prefix = options.get("awslogs-stream-prefix");
        return Optional.of(new AwsLogsOptions(group, blankToNull(options.get("awslogs-region")),
                blankToNull(prefix), "true".equals(String.valueOf(options.get("awslogs-create-group"))
                .toLowerCase(Locale.ROOT)), start, options));
    }

    /** The stream of a container: {@code prefix/container-name/task-id}, or the container's id. */
    public String streamName(String taskArn, String containerName, String runtimeId) {
        if (streamPrefix == null) {
            return runtimeId;
        }
        return streamPrefix + "/" + containerName + "/" + taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
