package io.berth.ecs.tag;

import java.util.Objects;

/** An ECS resource tag. */
public record Tag(String key, String value) {
    public Tag {
        Objects.requireNonNull(key);
        value = value == null ? "" : value;
    }
}
