package io.berth.ecs.service;

import java.time.Instant;

/** One entry of a service's {@code events[]}: ECS's words about what its scheduler did. */
public record ServiceEvent(String id, Instant createdAt, String message) {
}
