package io.berth.registry.layer;

import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.registry.RegistryJson;
import io.berth.registry.blob.BlobException;
import io.berth.registry.blob.BlobInfo;
import io.berth.registry.blob.BlobStore;
import io.berth.registry.blob.Digest;
import io.berth.registry.blob.Upload;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.repository.Repositories;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The blobs of each repository: uploads into a repository, and the links (store kind
 * {@value #KIND}, key {@code repo@digest}) that make a blob of the {@link BlobStore} part of a
 * repository. A blob is served from, mounted from and referenced by manifests of a repository only
 * through a link.
 *
 * <p>A link records when it was last used ({@code touchedAt}, refreshed at most every quarter of
 * the GC grace period); the garbage collector drops links that no image references and nobody
 * used for a whole grace period. Thread-safe.
 */
public final class Layers {
    public static final String KIND = "ecr-layer";
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A link's value: the blob's size, when the link was last used, and the media type a manifest of
     * the repository gives the blob (null until such a manifest is pushed).
     */
    public record Link(long size, Instant touchedAt, String mediaType) {
    }

    private final StateStore store;
    private final BlobStore blobs;
    private final Repositories repositories;
    private final InstantSource clock;
    private final Duration refreshAfter;

    public Layers(StateStore store, BlobStore blobs, Repositories repositories, InstantSource clock, Duration grace) {
        this.store = store;
        this.blobs = blobs;
        this.repositories = repositories;
        this.clock = clock;
        this.refreshAfter = grace.dividedBy(4);
    }

    public static String key(String repository, Digest digest) {
        return repository + "@" + digest;
    }

    /**
     * The blob, when it is linked to the repository and present. Protects it from garbage collection
     * for a grace period (the caller may be about to reference it).
     */
    public Optional<BlobInfo> find(String repository, Digest digest) {
        return linked(repository, digest).map(link -> new BlobInfo(digest, link.size()));
    }

    /** The link, as {@link #find}. */
    public Optional<Link> linked(String repository, Digest digest) {
        Optional<Versioned> read = store.get(KIND, key(repository, digest));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Link link = RegistryJson.decode(read.get().value(), Link.class);
        if (!blobs.touch(digest)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (link.touchedAt().plus(refreshAfter).isBefore(now)) {
            link = new Link(link.size(), now, link.mediaType());
            try {
                store.commit(List.of(Mutation.update(read.get(), RegistryJson.encode(link))), COMMIT_TIMEOUT);
            } catch (RuntimeException e) {
                // someone else refreshed it, or the garbage collector dropped it since we read it (it
                // found the link unused for a grace period). Dropped, the blob is no longer the
                // repository's: a push must not reference it, or the image would not pull
                // (GarbageCollectorRacesTest)
                if (store.get(KIND, key(repository, digest)).isEmpty()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(link);
    }

    /**
     * Gives the repository's links the media types a pushed manifest's descriptors give their blobs,
     * where a link has none yet: one commit for the lot, none when nothing is new. Advisory (for
     * BatchCheckLayerAvailability): a concurrent change of a link drops the lot, and a later push
     * learns them.
     */
    public void learnMediaTypes(String repository, Map<Digest, String> mediaTypes) {
        List<Mutation> updates = new ArrayList<>();
        mediaTypes.forEach((digest, mediaType) -> store.get(KIND, key(repository, digest)).ifPresent(read -> {
            Link link = RegistryJson.decode(read.value(), Link.class);
            if (mediaType != null && link.mediaType() == null) {
                updates.add(Mutation.update(read, RegistryJson.encode(
                        new Link(link.size(), link.touchedAt(), mediaType))));
            }
        }));
        if (updates.isEmpty()) {
            return;
        }
        try {
            store.commit(updates, COMMIT_TIMEOUT);
        } catch (RuntimeException ignored) {
            // a link changed meanwhile; the types are learned at a later push
        }
    }

    /**
     * Whether the link has gone unused since before {@code cutoff}, so the garbage collector may drop
     * it. A use rewrites {@code touchedAt} only when it is older than a quarter of the grace period
     * ({@link #find}), so a link used after the cutoff may show a {@code touchedAt} up to that much
     * before the use: without the margin, a collection late in a push (still within the grace
     * period) would unlink blobs the push references (GarbageCollectorRacesTest).
     */
    public boolean unusedSince(Link link, Instant cutoff) {
        return link.touchedAt().plus(refreshAfter).isBefore(cutoff);
    }

    /** Streams part of a linked blob. */
    public InputStream open(String repository, Digest digest, long offset, long length) {
        return translate(() -> blobs.open(digest, offset, length), repository);
    }

    /** The blob's bytes mapped from its file, where the blob store keeps files (see {@link BlobStore#map}). */
    public Optional<java.nio.ByteBuffer> map(String repository, Digest digest, long offset, long length) {
        return translate(() -> blobs.map(digest, offset, length), repository);
    }

    public RegistryException blobUnknown(String repository, Digest digest) {
        return new RegistryException(RegistryError.BLOB_NOT_FOUND, "blob unknown to registry",
                Map.of("digest", digest.toString(), "repository", repository));
    }

    /** Links the blob to the repository (again: keeping the media type the link knows). */
    public void link(String repository, BlobInfo blob) {
        String mediaType = store.get(KIND, key(repository, blob.digest()))
                .map(v -> RegistryJson.decode(v.value(), Link.class).mediaType()).orElse(null);
        store.commit(List.of(new Mutation.Put(KIND, key(repository, blob.digest()), Mutation.ANY,
                RegistryJson.encode(new Link(blob.size(), clock.instant(), mediaType)))), COMMIT_TIMEOUT);
    }

    /** Removes the blob from the repository (the blob itself goes with the next GC if unused). */
    public boolean unlink(String repository, Digest digest) {
        Optional<Versioned> read = store.get(KIND, key(repository, digest));
        if (read.isEmpty()) {
            return false;
        }
        store.commit(List.of(new Mutation.Delete(KIND, key(repository, digest), Mutation.ANY)), COMMIT_TIMEOUT);
        return true;
    }

    // ---- uploads ----

    public Upload start(String repository) {
        repositories.require(repository);
        return blobs.startUpload(repository);
    }

    /** The upload, which must belong to {@code repository}. */
    public Upload upload(String repository, String uploadId) {
        return blobs.upload(uploadId).filter(u -> u.owner().equals(repository))
                .orElseThrow(() -> uploadUnknown(repository, uploadId));
    }

    public Upload append(String repository, String uploadId, long offset, InputStream content) {
        upload(repository, uploadId);
        return translate(() -> blobs.append(uploadId, offset, content), repository);
    }

    /** Finishes an upload as the blob {@code digest} and links it to the repository. */
    public BlobInfo complete(String repository, String uploadId, Digest digest) {
        upload(repository, uploadId);
        repositories.require(repository);
        BlobInfo blob = translate(() -> blobs.complete(uploadId, digest), repository);
        link(repository, blob);
        return blob;
    }

    /** Stores a whole blob in one request and links it. */
    public BlobInfo put(String repository, Digest digest, InputStream content) {
        repositories.require(repository);
        BlobInfo blob = translate(() -> blobs.put(digest, content), repository);
        link(repository, blob);
        return blob;
    }

    public void cancel(String repository, String uploadId) {
        upload(repository, uploadId);
        blobs.cancel(uploadId);
    }

    /**
     * Links a blob of repository {@code from} (or, with {@code from} null, any blob the registry
     * holds) into {@code repository}; empty when there is no such blob to mount.
     */
    public Optional<BlobInfo> mount(String repository, Digest digest, String from) {
        repositories.require(repository);
        Optional<BlobInfo> source = from == null
                ? (blobs.touch(digest) ? blobs.stat(digest) : Optional.empty())
                : find(from, digest);
        source.ifPresent(b -> link(repository, b));
        return source;
    }

    // ---- housekeeping ----

    /** Every link of every repository, in key order after {@code afterKey}, at most {@code limit}. */
    public List<Versioned> scan(String afterKey, int limit) {
        return store.scan(KIND, "", afterKey, limit);
    }

    /** Removes a link as read, unless it changed meanwhile (then it was used: keep it). */
    public boolean expire(Versioned read) {
        try {
            store.commit(List.of(Mutation.delete(read)), COMMIT_TIMEOUT);
            return true;
        } catch (io.berth.core.store.ConflictException e) {
            return false;
        }
    }

    /** Deletes every link of a repository. */
    public void purge(String repository) {
        while (true) {
            List<Versioned> batch = store.scan(KIND, repository + "@", null, 500);
            if (batch.isEmpty()) {
                return;
            }
            List<Mutation> tx = new ArrayList<>();
            batch.forEach(v -> tx.add(new Mutation.Delete(KIND, v.key(), Mutation.ANY)));
            store.commit(tx, COMMIT_TIMEOUT);
        }
    }

    private RegistryException uploadUnknown(String repository, String uploadId) {
        return new RegistryException(RegistryError.UPLOAD_NOT_FOUND, "The upload with id '" + uploadId
                + "' does not exist in the repository with name '" + repository + "'",
                Map.of("uuid", uploadId));
    }

    private <T> T translate(Supplier<T> call, String repository) {
        try {
            return call.get();
        } catch (BlobException e) {
            throw switch (e.reason()) {
                case BLOB_UNKNOWN -> new RegistryException(RegistryError.BLOB_NOT_FOUND, "blob unknown to registry");
                case UPLOAD_UNKNOWN -> new RegistryException(RegistryError.UPLOAD_NOT_FOUND,
                        "upload unknown in repository '" + repository + "'");
                case DIGEST_MISMATCH -> new RegistryException(RegistryError.LAYER_DIGEST_MISMATCH,
                        "provided digest did not match uploaded content: " + e.getMessage());
                case OFFSET_MISMATCH -> new RegistryException(RegistryError.UPLOAD_OUT_OF_ORDER,
                        "chunk does not start at the end of the upload (" + e.currentOffset() + " bytes)",
                        Map.of("offset", e.currentOffset()));
            };
        }
    }
}
