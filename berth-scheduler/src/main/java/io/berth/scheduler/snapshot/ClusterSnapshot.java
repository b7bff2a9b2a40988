package io.berth.scheduler.snapshot;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The instances of one cluster at one moment, the input of a placement. Immutable; the scheduler
 * never reads the store, so a snapshot is all it knows.
 */
public record ClusterSnapshot(List<InstanceView> instances) {
    public ClusterSnapshot {
        instances = List.copyOf(instances);
        Set<String> ids = new HashSet<>();
        for (InstanceView i : instances) {
            if (!ids.add(i.id())) {
                throw new IllegalArgumentException("instance " + i.id() + " appears twice in the snapshot");
            }
        }
    }

    public static ClusterSnapshot of(InstanceView... instances) {
        return new ClusterSnapshot(List.of(instances));
    }
}
