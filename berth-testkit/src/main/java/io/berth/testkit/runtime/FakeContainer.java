package io.berth.testkit.runtime;

import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerStats;
import io.berth.core.runtime.LogLine;
import io.berth.core.runtime.ContainerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One container of {@link FakeContainerRuntime}: mutable, guarded by the runtime's lock. */
final class FakeContainer {
    final String id;
    final ContainerSpec spec;
    final String imageId;
    final Instant createdAt;
    String status = "created";
    Integer exitCode;
    boolean oomKilled;
    String error;
    Instant startedAt;
    Instant finishedAt;
    String health = "none";
    List<ContainerState.PortBinding> ports = List.of();
    /** Bumped at every start and exit, so a scheduled exit of an earlier run is ignored. */
    int generation;
    /** What the container wrote, in order. */
    final List<LogLine> logs = new ArrayList<>();
    /** What {@code stats} answers while it runs; null: zeros. */
    ContainerStats stats;

    FakeContainer(String id, ContainerSpec spec, String imageId, Instant createdAt) {
        this.id = id;
        this.spec = spec;
        this.imageId = imageId;
        this.createdAt = createdAt;
    }

    boolean running() {
        return "running".equals(status);
    }

    ContainerState state() {
        return new ContainerState(id, spec.name(), spec.image(), imageId, status, exitCode, oomKilled, error,
                createdAt, startedAt, finishedAt, health, spec.labels(), running() ? ports : List.of());
    }
}
