package io.berth.ecs.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredTask;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Encodes desired states as {@code mapper} would, but each task once: an instance's tasks (each
 * carrying its task definition) go out again on every change of the instance, and AgentSessions
 * hands out the same DesiredTask object until the task changes. Entries go with their task.
 */
final class DesiredStateJson {
    private final ObjectMapper mapper;
    private final Map<DesiredTask, byte[]> encoded = Collections.synchronizedMap(new WeakHashMap<>());

    DesiredStateJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] encode(DesiredState state) throws JsonProcessingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + state.tasks().size() * 2048);
        out.writeBytes(("{\"version\":" + state.version() + ",\"tasks\":[").getBytes(StandardCharsets.US_ASCII));
        boolean first = true;
        for (DesiredTask t : state.tasks()) {
            byte[] task = encoded.get(t);
            if (task == null) {
                task = mapper.writeValueAsBytes(t);
                encoded.put(t, task);
            }
            if (!first) {
                out.write(',');
            }
            out.writeBytes(task);
            first = false;
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
