package io.berth.registry.image;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed image manifest or index (Docker schema 2 or OCI), as far as the registry needs it: what
 * it references, its subject, its artifact type and annotations.
 *
 * @param config the config descriptor of a manifest (null for an index)
 * @param layers the layers of a manifest (empty for an index)
 * @param manifests the entries of an index (empty for a manifest)
 * @param subject the manifest this one refers to (OCI 1.1 referrers), or null
 * @param artifactType the declared artifact type, or null
 */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, List<Descriptor> manifests,
                       Descriptor subject, String artifactType, Map<String, String> annotations) {
    public Manifest {
        Objects.requireNonNull(mediaType);
        layers = layers == null ? List.of() : List.copyOf(layers);
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean index() {
        return MediaTypes.isIndex(mediaType);
    }

    /** The artifact type the referrers API reports: the declared one, else the config's media type. */
    public Optional<String> effectiveArtifactType() {
        if (artifactType != null) {
            return Optional.of(artifactType);
        }
        return Optional.ofNullable(config).map(Descriptor::mediaType);
    }

    /** The blobs (config and layers) the registry must hold for this manifest. */
    public List<Descriptor> blobs() {
        if (config == null) {
            return layers.stream().filter(l -> !l.foreign()).toList();
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(config), layers.stream())
                .filter(l -> !l.foreign()).toList();
    }

    /** Size of the image as ECR reports it: config plus layers (an index: 0, see Images). */
    public long contentSize() {
        long total = config == null ? 0 : config.size();
        for (Descriptor l : layers) {
            total += l.size();
        }
        return total;
    }
}
