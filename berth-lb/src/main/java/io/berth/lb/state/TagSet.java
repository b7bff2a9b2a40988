package io.berth.lb.state;

import io.berth.lb.model.Tag;
import java.util.List;

/** The tags of one resource, in the order they were first added. */
public record TagSet(List<Tag> tags) {
    public TagSet {
        tags = List.copyOf(tags);
    }
}
