package io.berth.ecs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An ECS cluster as stored. {@code configuration}, {@code defaultCapacityProviderStrategy} and
 * {@code serviceConnectDefaults} are kept as the wire JSON they were given in (read-only by
 * convention: copy before changing).
 */
public record Cluster(
        String name,
        Status status,
        List<Setting> settings,
        JsonNode configuration,
        List<String> capacityProviders,
        JsonNode defaultCapacityProviderStrategy,
        JsonNode serviceConnectDefaults,
        Instant createdAt) {

    public enum Status { ACTIVE, INACTIVE }

    /** A cluster setting (today only {@code containerInsights}). */
    public record Setting(String name, String value) {
    }

    public Cluster {
        Objects.requireNonNull(name);
        Objects.requireNonNull(status);
        settings = settings == null ? List.of() : List.copyOf(settings);
        capacityProviders = capacityProviders == null ? List.of() : List.copyOf(capacityProviders);
    }

    public Cluster withStatus(Status newStatus) {
        return new Cluster(name, newStatus, settings, configuration, capacityProviders,
                defaultCapacityProviderStrategy, serviceConnectDefaults, createdAt);
    }

    public Cluster withSettings(List<Setting> newSettings) {
        return new Cluster(name, status, newSettings, configuration, capacityProviders,
                defaultCapacityProviderStrategy, serviceConnectDefaults, createdAt);
    }

    public Cluster withConfiguration(JsonNode newConfiguration) {
        return new Cluster(name, status, settings, newConfiguration, capacityProviders,
                defaultCapacityProviderStrategy, serviceConnectDefaults, createdAt);
    }

    public Cluster withServiceConnectDefaults(JsonNode defaults) {
        return new Cluster(name, status, settings, configuration, capacityProviders,
                defaultCapacityProviderStrategy, defaults, createdAt);
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }
}
