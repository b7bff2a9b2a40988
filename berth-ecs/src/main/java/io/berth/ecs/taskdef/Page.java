package io.berth.ecs.taskdef;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of a listing and the opaque token of the next page, if there is one. */
public record Page<T>(List<T> items, Optional<String> nextToken) {
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(nextToken);
    }
}
