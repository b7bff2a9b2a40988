package io.berth.registry.image;

import io.berth.registry.blob.Digest;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor as manifests carry them.
 *
 * @param platform for the entries of an index: the platform of the manifest, or null
 * @param urls where a foreign layer may be fetched; such layers need not be in the registry
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
                         Map<String, String> annotations, Platform platform, List<String> urls) {
    public Descriptor {
        Objects.requireNonNull(mediaType);
        Objects.requireNonNull(digest);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    /** A layer the registry need not hold: a foreign (non-distributable) layer with URLs. */
    public boolean foreign() {
        return !urls.isEmpty() && (mediaType.contains("foreign") || mediaType.contains("nondistributable"));
    }

    /** The platform of an index entry. */
    public record Platform(String os, String architecture, String variant) {
    }
}
