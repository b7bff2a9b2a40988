package io.berth.registry.repository;

import java.util.Objects;

/** A tag of a repository (the AWS resource tag, not an image tag). */
public record ResourceTag(String key, String value) {
    public ResourceTag {
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
    }
}
