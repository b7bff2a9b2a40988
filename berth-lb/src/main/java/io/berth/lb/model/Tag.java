package io.berth.lb.model;

import java.util.Objects;

/** A resource tag; {@code value} may be empty, never null. */
public record Tag(String key, String value) {
    public Tag {
        Objects.requireNonNull(key);
        value = value == null ? "" : value;
    }
}
