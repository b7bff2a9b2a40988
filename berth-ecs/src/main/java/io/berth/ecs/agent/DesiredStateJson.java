package io.berth.ecs.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredStateMessage;
import io.berth.core.agent.DesiredTask;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Encodes desired states as {@code mapper} would encode their {@link DesiredStateMessage} (each
 * task definition once, the tasks without theirs), but each task and each definition once: an
 * instance's tasks go out again on every change of the instance, and AgentSessions hands out the
 * same DesiredTask object, and the same definition string, until the task changes. Entries go with
 * their task or definition (weak keys).
 */
final class DesiredStateJson {
    private final ObjectMapper mapper;
    /** A task's JSON without its definition. */
    private final Map<DesiredTask, byte[]> tasks = Collections.synchronizedMap(new WeakHashMap<>());
    /** A definition's JSON as a JSON string literal. */
    private final Map<String, byte[]> definitions = Collections.synchronizedMap(new WeakHashMap<>());

    DesiredStateJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] encode(DesiredState state) throws JsonProcessingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + state.tasks().size() * 512);
        out.writeBytes(("{\"version\":" + state.version() + ",\"definitions\":{").getBytes(StandardCharsets.US_ASCII));
        Set<String> written = new HashSet<>();
        for (DesiredTask t : state.tasks()) {
            if (t.taskDefinitionArn() != null && t.taskDefinitionJson() != null && written.add(t.taskDefinitionArn())) {
                if (written.size() > 1) {
                    out.write(',');
                }
                out.writeBytes(mapper.writeValueAsBytes(t.taskDefinitionArn()));
                out.write(':');
                out.writeBytes(literal(t.taskDefinitionJson()));
            }
        }
        out.writeBytes("},\"tasks\":[".getBytes(StandardCharsets.US_ASCII));
        boolean first = true;
        for (DesiredTask t : state.tasks()) {
            byte[] task = tasks.get(t);
            if (task == null) {
                boolean shared = t.taskDefinitionArn() != null && t.taskDefinitionJson() != null;
                task = mapper.writeValueAsBytes(shared ? DesiredStateMessage.withDefinition(t, null) : t);
                tasks.put(t, task);
            }
            if (!first) {
                out.write(',');
            }
            out.writeBytes(task);
            first = false;
        }
        out.write(']');
        if (state.delta() != null) {
            out.writeBytes(",\"token\":".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(mapper.writeValueAsBytes(state.delta().token()));
            out.writeBytes((",\"changesOnly\":" + state.delta().changesOnly() + ",\"removed\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(mapper.writeValueAsBytes(state.delta().removed()));
        }
        out.write('}');
        return out.toByteArray();
    }

    private byte[] literal(String json) throws JsonProcessingException {
        byte[] literal = definitions.get(json);
        if (literal == null) {
            literal = mapper.writeValueAsBytes(json);
            definitions.put(json, literal);
        }
        return literal;
    }
}
