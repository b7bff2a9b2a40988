package io.berth.core.arn;

import java.util.Objects;
import java.util.Optional;

/**
 * An Amazon Resource Name: {@code arn:<partition>:<service>:<region>:<account>:<resource>}.
 * The resource part keeps its service-specific form (ECS: {@code cluster/NAME},
 * {@code task-definition/FAMILY:REV}, {@code task/CLUSTER/ID}, ...).
 */
public record Arn(String partition, String service, String region, String account, String resource) {
    public Arn {
        Objects.requireNonNull(partition);
        Objects.requireNonNull(service);
        Objects.requireNonNull(region);
        Objects.requireNonNull(account);
        Objects.requireNonNull(resource);
    }

    public static Optional<Arn> parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = text.split(":", 6);
        if (parts.length != 6 || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    /** The resource type: the resource part up to its first '/' (or ':'). */
    public String resourceType() {
        int slash = resource.indexOf('/');
        int colon = resource.indexOf(':');
        int end = slash < 0 ? colon : (colon < 0 ? slash : Math.min(slash, colon));
        return end < 0 ? resource : resource.substring(0, end);
    }

    /** The resource part after its type and separator. */
    public String resourceId() {
        String type = resourceType();
        return resource.length() > type.length() ? resource.substring(type.length() + 1) : "";
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
