package io.berth.lb.api;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a Describe* answer. The marker is the sort key of the last item given (opaque to
 * clients); the next page starts after it.
 */
record Page<T>(List<T> items, Optional<String> next) {
    static <T> Page<T> of(List<T> all, Function<T, String> key, String marker, int size) {
        List<T> sorted = all.stream().sorted(Comparator.comparing(key)).toList();
        List<T> after = marker == null ? sorted
                : sorted.stream().filter(t -> key.apply(t).compareTo(marker) > 0).toList();
        if (after.size() <= size) {
            return new Page<>(after, Optional.empty());
        }
        List<T> page = after.subList(0, size);
        return new Page<>(page, Optional.of(key.apply(page.get(page.size() - 1))));
    }
}
