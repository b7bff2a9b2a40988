package io.berth.registry.image;

import java.time.Instant;
import java.util.Map;

/**
 * Where the scan of an image stands: its status (IN_PROGRESS, COMPLETE, FAILED, UNSUPPORTED_IMAGE),
 * a description, when it completed and the count of findings per severity.
 */
public record ScanState(String status, String description, Instant completedAt, Map<String, Integer> severityCounts) {
    public ScanState {
        severityCounts = severityCounts == null ? Map.of() : Map.copyOf(severityCounts);
    }
}
