package io.berth.registry.scan;

import java.util.Map;

/**
 * One vulnerability of one package of an image, as ECR's basic scanning reports it.
 *
 * @param name the vulnerability id (CVE-..., or the OSV id)
 * @param severity INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL or UNDEFINED
 * @param attributes {@code package_name}, {@code package_version}, and {@code fixed_version} when known
 */
public record Finding(String name, String description, String uri, String severity, Map<String, String> attributes) {
    public Finding {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
