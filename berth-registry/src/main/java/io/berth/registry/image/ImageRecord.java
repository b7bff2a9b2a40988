package io.berth.registry.image;

import io.berth.registry.blob.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An image (any manifest or index) in a repository, as the store keeps it. The manifest's bytes are
 * a blob of the {@code BlobStore}, named by {@link #digest}.
 *
 * @param mediaType the manifest's media type (served as Content-Type)
 * @param artifactType the declared artifact type, else the config's media type (null for an index
 *     without one)
 * @param configMediaType the config's media type (ECR's artifactMediaType), null for an index
 * @param manifestSize the manifest's size in bytes
 * @param size the image size as ECR reports it: config plus layers; for an index, its largest child
 * @param tags the tags pointing at this image, sorted
 * @param blobs the config and layers this image needs (GC keeps them)
 * @param children the manifests an index lists
 * @param subject the manifest this one refers to, or null
 * @param lastPulledAt when the image was last pulled (recorded at most hourly), or null
 * @param scan the last scan of the image, or null
 */
public record ImageRecord(String repository, Digest digest, String mediaType, String artifactType,
                          String configMediaType, long manifestSize, long size, Instant pushedAt, List<String> tags,
                          List<Digest> blobs, List<Digest> children, Digest subject, Map<String, String> annotations,
                          Instant lastPulledAt, ScanState scan) {
    public ImageRecord {
        Objects.requireNonNull(repository);
        Objects.requireNonNull(digest);
        Objects.requireNonNull(mediaType);
        Objects.requireNonNull(pushedAt);
        tags = tags == null ? List.of() : List.copyOf(new TreeSet<>(tags));
        blobs = blobs == null ? List.of() : List.copyOf(blobs);
        children = children == null ? List.of() : List.copyOf(children);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean tagged() {
        return !tags.isEmpty();
    }

    public boolean index() {
        return MediaTypes.isIndex(mediaType);
    }

    public ImageRecord withTag(String tag) {
        if (tags.contains(tag)) {
            return this;
        }
        TreeSet<String> t = new TreeSet<>(tags);
        t.add(tag);
        return withTags(List.copyOf(t));
    }

    public ImageRecord withoutTag(String tag) {
        TreeSet<String> t = new TreeSet<>(tags);
        t.remove(tag);
        return withTags(List.copyOf(t));
    }

    public ImageRecord withTags(List<String> newTags) {
        return new ImageRecord(repository, digest, mediaType, artifactType, configMediaType, manifestSize, size,
                pushedAt, newTags, blobs, children, subject, annotations, lastPulledAt, scan);
    }

    public ImageRecord withLastPulledAt(Instant at) {
        return new ImageRecord(repository, digest, mediaType, artifactType, configMediaType, manifestSize, size,
                pushedAt, tags, blobs, children, subject, annotations, at, scan);
    }

    public ImageRecord withScan(ScanState newScan) {
        return new ImageRecord(repository, digest, mediaType, artifactType, configMediaType, manifestSize, size,
                pushedAt, tags, blobs, children, subject, annotations, lastPulledAt, newScan);
    }
}
