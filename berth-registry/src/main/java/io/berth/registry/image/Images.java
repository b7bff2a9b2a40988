package io.berth.registry.image;

import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.registry.DecodedCache;
import io.berth.registry.RegistryJson;
import io.berth.registry.blob.BlobStore;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.layer.Layers;
import io.berth.registry.repository.Repositories;
import io.berth.registry.repository.Repository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Images (manifests and indexes) and tags of repositories. Store layout:
 *
 * <pre>
 *   kind          key                           value
 *   ecr-image     repo@sha256:…                 {@link ImageRecord}
 *   ecr-tag       repo:tag                      {"digest": "sha256:…"}
 *   ecr-referrer  repo@&lt;subject&gt;@&lt;digest&gt;     {}   (index of the referrers API)
 * </pre>
 *
 * Manifest bytes are blobs of the {@link BlobStore}. A push writes the manifest blob first, then
 * commits the image, its tag (moving it off the image it pointed at) and its referrer entry in one
 * transaction, so a tag never points at a missing image. Thread-safe; concurrent pushes of one tag
 * are serialized by optimistic concurrency.
 */
public final class Images {
    public static final String KIND = "ecr-image";
    public static final String TAG_KIND = "ecr-tag";
    public static final String REFERRER_KIND = "ecr-referrer";
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PULL_RECORD_INTERVAL = Duration.ofHours(1);
    private static final int RETRIES = 16;

    /** What a tag record holds. */
    public record TagRef(Digest digest) {
    }

    /**
     * A push of a manifest.
     *
     * @param declaredType the Content-Type / imageManifestMediaType given, or null
     * @param tag the tag to point at it, or null
     * @param expectedDigest the digest the client named (PUT by digest, ECR imageDigest), or null
     * @param refuseUnchanged ECR PutImage: refuse a push that changes nothing (ImageAlreadyExists)
     */
    public record Push(String repository, byte[] manifest, String declaredType, String tag, Digest expectedDigest,
                       boolean refuseUnchanged) {
    }

    /** The image after a push, and whether the push created it. */
    public record Pushed(ImageRecord image, Manifest manifest, boolean created) {
    }

    private final StateStore store;
    private final BlobStore blobs;
    private final Repositories repositories;
    private final Layers layers;
    private final InstantSource clock;
    private final ManifestCache manifestCache = new ManifestCache(32L * 1024 * 1024);
    private final List<java.util.function.Consumer<Pushed>> pushListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Images(StateStore store, BlobStore blobs, Repositories repositories, Layers layers, InstantSource clock) {
        this.store = store;
        this.blobs = blobs;
        this.repositories = repositories;
        this.layers = layers;
        this.clock = clock;
    }

    public static String key(String repository, Digest digest) {
        return repository + "@" + digest;
    }

    public static String tagKey(String repository, String tag) {
        return repository + ":" + tag;
    }

    public static boolean validTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /** Calls {@code listener} after every push that created an image (on the pushing thread; keep it short). */
    public void onPush(java.util.function.Consumer<Pushed> listener) {
        pushListeners.add(listener);
    }

    // ---- push ----

    public Pushed push(Push push) {
        Repository repository = repositories.require(push.repository());
        byte[] bytes = push.manifest();
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new RegistryException(RegistryError.MANIFEST_TOO_LARGE,
                    "manifest is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        if (push.tag() != null && !validTag(push.tag())) {
            throw new RegistryException(RegistryError.TAG_INVALID, "Invalid parameter at 'imageTag' failed to satisfy "
                    + "constraint: 'must satisfy regular expression '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}''");
        }
        Digest digest = push.expectedDigest() == null ? Digest.sha256(bytes)
                : Digest.of(push.expectedDigest().algorithm(), bytes);
        if (push.expectedDigest() != null && !digest.equals(push.expectedDigest())) {
            throw new RegistryException(RegistryError.IMAGE_DIGEST_DOES_NOT_MATCH, "Manifest digest '"
                    + push.expectedDigest() + "' does not match the calculated digest '" + digest + "'",
                    Map.of("digest", push.expectedDigest().toString()));
        }
        Manifest manifest = ManifestParser.parse(bytes, push.declaredType());
        long size = checkReferences(repository.name(), manifest);
        blobs.put(digest, new ByteArrayInputStream(bytes));
        ImageRecord fresh = new ImageRecord(repository.name(), digest, manifest.mediaType(),
                manifest.index() ? manifest.artifactType() : manifest.effectiveArtifactType().orElse(null),
                manifest.config() == null ? null : manifest.config().mediaType(), bytes.length, size,
                clock.instant(), List.of(), manifest.blobs().stream().map(Descriptor::digest).toList(),
                manifest.manifests().stream().map(Descriptor::digest).toList(),
                manifest.subject() == null ? null : manifest.subject().digest(), manifest.annotations(), null, null);
        for (int attempt = 0; ; attempt++) {
            try {
                Pushed pushed = commitPush(repository, push, fresh, manifest);
                if (pushed.created()) {
                    pushListeners.forEach(l -> l.accept(pushed));
                }
                return pushed;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    private Pushed commitPush(Repository repository, Push push, ImageRecord fresh, Manifest manifest) {
        String name = repository.name();
        Digest digest = fresh.digest();
        Optional<Versioned> imageRead = store.get(KIND, key(name, digest));
        Optional<ImageRecord> existing = imageRead.map(v -> RegistryJson.decode(v.value(), ImageRecord.class));
        String tag = push.tag();
        if (push.refuseUnchanged() && existing.isPresent() && (tag == null || existing.get().tags().contains(tag))) {
            throw new RegistryException(RegistryError.IMAGE_ALREADY_EXISTS, "Image with digest '" + digest
                    + "'" + (tag == null ? "" : " and tag '" + tag + "'") + " already exists in the repository with "
                    + "name '" + name + "' in registry with id '" + repositories.registryId() + "'");
        }
        ImageRecord image = existing.orElse(fresh);
        List<Mutation> tx = new ArrayList<>();
        if (tag != null) {
            Optional<Versioned> tagRead = store.get(TAG_KIND, tagKey(name, tag));
            Optional<Digest> previous = tagRead.map(v -> RegistryJson.decode(v.value(), TagRef.class).digest());
            if (previous.isPresent() && !previous.get().equals(digest)) {
                if (repository.immutable(tag)) {
                    throw new RegistryException(RegistryError.IMAGE_TAG_ALREADY_EXISTS, "The image tag '" + tag
                            + "' already exists in the '" + name + "' repository and cannot be overwritten because "
                            + "the repository is immutable.", Map.of("tag", tag));
                }
                Optional<Versioned> oldRead = store.get(KIND, key(name, previous.get()));
                if (oldRead.isPresent()) {
                    ImageRecord old = RegistryJson.decode(oldRead.get().value(), ImageRecord.class);
                    tx.add(Mutation.update(oldRead.get(), RegistryJson.encode(old.withoutTag(tag))));
                }
            }
            if (previous.isEmpty() || !previous.get().equals(digest)) {
                tx.add(new Mutation.Put(TAG_KIND, tagKey(name, tag),
                        tagRead.map(Versioned::version).orElse(Mutation.ABSENT),
                        RegistryJson.encode(new TagRef(digest))));
            }
            image = image.withTag(tag);
        }
        if (existing.isEmpty() || !existing.get().equals(image)) {
            tx.add(new Mutation.Put(KIND, key(name, digest), imageRead.map(Versioned::version).orElse(Mutation.ABSENT),
                    RegistryJson.encode(image)));
        }
        if (existing.isEmpty() && image.subject() != null) {
            tx.add(new Mutation.Put(REFERRER_KIND, name + "@" + image.subject() + "@" + digest, Mutation.ANY,
                    "{}".getBytes()));
        }
        if (!tx.isEmpty()) {
            store.commit(tx, COMMIT_TIMEOUT);
        }
        return new Pushed(image, manifest, existing.isEmpty());
    }

    /** Checks that the repository holds what the manifest references; returns the image size. */
    private long checkReferences(String repository, Manifest manifest) {
        if (manifest.index()) {
            List<String> missing = new ArrayList<>();
            long max = 0;
            for (Descriptor child : manifest.manifests()) {
                Optional<ImageRecord> found = find(repository, child.digest());
                if (found.isEmpty()) {
                    missing.add(child.digest().toString());
                } else {
                    max = Math.max(max, found.get().size());
                    blobs.touch(child.digest());
                }
            }
            if (!missing.isEmpty()) {
                throw new RegistryException(RegistryError.REFERENCED_IMAGES_NOT_FOUND, "Some of the images "
                        + "referenced by the manifest list are not found: " + missing, Map.of("digests", missing));
            }
            return max;
        }
        List<String> missing = new ArrayList<>();
        Map<Digest, String> mediaTypes = new HashMap<>();
        for (Descriptor blob : manifest.blobs()) {
            if (layers.linked(repository, blob.digest()).isEmpty()) {
                missing.add(blob.digest().toString());
            } else if (blob.mediaType() != null) {
                mediaTypes.put(blob.digest(), blob.mediaType());
            }
        }
        if (!missing.isEmpty()) {
            throw new RegistryException(RegistryError.LAYERS_NOT_FOUND, "Layers with digests '" + missing
                    + "' required for pushing image into repository with name '" + repository
                    + "' in registry with id '" + repositories.registryId() + "' do not exist",
                    Map.of("digest", missing.get(0)));
        }
        layers.learnMediaTypes(repository, mediaTypes);
        return manifest.contentSize();
    }

    // ---- reads ----

    public Optional<ImageRecord> find(String repository, Digest digest) {
        return store.get(KIND, key(repository, digest)).map(decodedImages::decode);
    }

    public Optional<Digest> tag(String repository, String tag) {
        return store.get(TAG_KIND, tagKey(repository, tag)).map(v -> decodedTags.decode(v).digest());
    }

    /** Hot reads (every manifest GET resolves a tag and an image) decode each stored value once. */
    private final DecodedCache<ImageRecord> decodedImages = new DecodedCache<>(ImageRecord.class, 10_000);
    private final DecodedCache<TagRef> decodedTags = new DecodedCache<>(TagRef.class, 10_000);

    /** The image a reference (tag or digest) names, or IMAGE_NOT_FOUND. */
    public ImageRecord resolve(String repository, String reference) {
        repositories.require(repository);
        Optional<ImageRecord> image;
        if (reference.indexOf(':') > 0) {
            Digest digest = Digest.tryParse(reference).orElseThrow(() -> new RegistryException(
                    RegistryError.DIGEST_INVALID, "invalid digest: " + reference));
            image = find(repository, digest);
        } else {
            // a malformed tag names nothing: not found, as the OCI conformance suite expects of a
            // GET or HEAD (a PUT to one is TAG_INVALID)
            image = validTag(reference) ? tag(repository, reference).flatMap(d -> find(repository, d)) : Optional.empty();
        }
        return image.orElseThrow(() -> notFound(repository, reference));
    }

    public RegistryException notFound(String repository, String reference) {
        String id = reference.indexOf(':') > 0 ? "imageDigest=" + reference : "imageTag=" + reference;
        return new RegistryException(RegistryError.IMAGE_NOT_FOUND, "The image with imageId {" + id
                + "} does not exist within the repository with name '" + repository + "' in the registry with id '"
                + repositories.registryId() + "'", Map.of("reference", reference));
    }

    /** The manifest's bytes exactly as pushed (cached: content-addressed bytes never change). */
    public byte[] manifest(ImageRecord image) {
        byte[] cached = manifestCache.get(image.digest());
        if (cached != null) {
            return cached;
        }
        try (InputStream in = blobs.open(image.digest(), 0, image.manifestSize())) {
            byte[] bytes = in.readAllBytes();
            manifestCache.put(image.digest(), bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Manifest parsed(ImageRecord image) {
        return ManifestParser.parse(manifest(image), image.mediaType());
    }

    /**
     * What a client that does not take indexes gets for {@code index}: its manifest for linux/amd64
     * (else its first entry) when the client takes that manifest's type; empty when it does not.
     */
    public Optional<ImageRecord> platformManifest(ImageRecord index, java.util.function.Predicate<String> accepts) {
        Manifest parsed = parsed(index);
        Descriptor chosen = null;
        for (Descriptor d : parsed.manifests()) {
            if (d.platform() != null && "linux".equals(d.platform().os())
                    && "amd64".equals(d.platform().architecture())) {
                chosen = d;
                break;
            }
        }
        if (chosen == null && !parsed.manifests().isEmpty()) {
            chosen = parsed.manifests().get(0);
        }
        if (chosen == null || !accepts.test(chosen.mediaType())) {
            return Optional.empty();
        }
        return find(index.repository(), chosen.digest());
    }

    /** Notes a pull in the image (at most once per hour per image). */
    public void recordPull(ImageRecord image) {
        Instant now = clock.instant();
        if (image.lastPulledAt() != null && image.lastPulledAt().plus(PULL_RECORD_INTERVAL).isAfter(now)) {
            return;
        }
        store.get(KIND, key(image.repository(), image.digest())).ifPresent(read -> {
            ImageRecord current = RegistryJson.decode(read.value(), ImageRecord.class);
            try {
                store.commit(List.of(Mutation.update(read, RegistryJson.encode(current.withLastPulledAt(now)))),
                        COMMIT_TIMEOUT);
            } catch (RuntimeException ignored) {
                // a concurrent write wins; the pull time is advisory
            }
        });
    }

    /** Images of a repository in digest order after {@code afterDigest} (null: first), at most {@code limit}. */
    public List<ImageRecord> list(String repository, String afterDigest, int limit) {
        List<ImageRecord> page = new ArrayList<>();
        String after = afterDigest == null ? null : repository + "@" + afterDigest;
        for (Versioned v : store.scan(KIND, repository + "@", after, limit)) {
            page.add(RegistryJson.decode(v.value(), ImageRecord.class));
        }
        return page;
    }

    /** All images of a repository. */
    public List<ImageRecord> all(String repository) {
        List<ImageRecord> all = new ArrayList<>();
        String after = null;
        while (true) {
            List<ImageRecord> page = list(repository, after, 1000);
            all.addAll(page);
            if (page.size() < 1000) {
                return all;
            }
            after = page.get(page.size() - 1).digest().toString();
        }
    }

    public int count(String repository) {
        return store.count(KIND, repository + "@");
    }

    /** Tags of a repository in lexical order after {@code after} (null: first), at most {@code limit}. */
    public List<String> tags(String repository, String after, int limit) {
        List<String> page = new ArrayList<>();
        String prefix = repository + ":";
        for (Versioned v : store.scan(TAG_KIND, prefix, after == null ? null : prefix + after, limit)) {
            page.add(v.key().substring(prefix.length()));
        }
        return page;
    }

    /** The images whose subject is {@code subject}. */
    public List<ImageRecord> referrers(String repository, Digest subject) {
        List<ImageRecord> out = new ArrayList<>();
        String prefix = repository + "@" + subject + "@";
        String after = null;
        while (true) {
            List<Versioned> page = store.scan(REFERRER_KIND, prefix, after, 500);
            for (Versioned v : page) {
                Digest d = Digest.parse(v.key().substring(prefix.length()));
                find(repository, d).ifPresent(out::add);
            }
            if (page.size() < 500) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    // ---- deletes ----

    /** The indexes of the repository that list {@code digest}. */
    public List<ImageRecord> parents(String repository, Digest digest) {
        return all(repository).stream().filter(i -> i.children().contains(digest)).toList();
    }

    /**
     * Deletes an image with all its tags. Refused ({@link RegistryError#IMAGE_REFERENCED}) while an index of the repository
     * lists it. Returns what was deleted.
     */
    public ImageRecord delete(String repository, Digest digest) {
        for (int attempt = 0; ; attempt++) {
            Versioned read = store.get(KIND, key(repository, digest))
                    .orElseThrow(() -> notFound(repository, digest.toString()));
            ImageRecord image = RegistryJson.decode(read.value(), ImageRecord.class);
            List<ImageRecord> parents = parents(repository, digest);
            if (!parents.isEmpty()) {
                throw new RegistryException(RegistryError.IMAGE_REFERENCED, "The image is referenced by the manifest "
                        + "list " + parents.get(0).digest() + " and cannot be deleted",
                        Map.of("referencedBy", parents.get(0).digest().toString()));
            }
            List<Mutation> tx = new ArrayList<>();
            tx.add(Mutation.delete(read));
            for (String tag : image.tags()) {
                tx.add(new Mutation.Delete(TAG_KIND, tagKey(repository, tag), Mutation.ANY));
            }
            if (image.subject() != null) {
                tx.add(new Mutation.Delete(REFERRER_KIND, repository + "@" + image.subject() + "@" + digest,
                        Mutation.ANY));
            }
            try {
                store.commit(tx, COMMIT_TIMEOUT);
                return image;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes the image only if it is still exactly as {@code seen} (no tag moved, nothing changed),
     * and no index lists it; returns whether it was deleted. For the lifecycle job.
     */
    public boolean deleteIfUnchanged(ImageRecord seen) {
        Optional<Versioned> read = store.get(KIND, key(seen.repository(), seen.digest()));
        if (read.isEmpty() || !RegistryJson.decode(read.get().value(), ImageRecord.class).equals(seen)
                || !parents(seen.repository(), seen.digest()).isEmpty()) {
            return false;
        }
        List<Mutation> tx = new ArrayList<>();
        tx.add(Mutation.delete(read.get()));
        for (String tag : seen.tags()) {
            tx.add(new Mutation.Delete(TAG_KIND, tagKey(seen.repository(), tag), Mutation.ANY));
        }
        if (seen.subject() != null) {
            tx.add(new Mutation.Delete(REFERRER_KIND, seen.repository() + "@" + seen.subject() + "@" + seen.digest(),
                    Mutation.ANY));
        }
        try {
            store.commit(tx, COMMIT_TIMEOUT);
            return true;
        } catch (ConflictException e) {
            return false;
        }
    }

    /** Removes a tag; returns the image as it is afterwards. */
    public ImageRecord untag(String repository, String tag) {
        for (int attempt = 0; ; attempt++) {
            Versioned tagRead = store.get(TAG_KIND, tagKey(repository, tag)).orElseThrow(() -> notFound(repository, tag));
            Digest digest = RegistryJson.decode(tagRead.value(), TagRef.class).digest();
            List<Mutation> tx = new ArrayList<>();
            tx.add(Mutation.delete(tagRead));
            Optional<Versioned> imageRead = store.get(KIND, key(repository, digest));
            ImageRecord after = null;
            if (imageRead.isPresent()) {
                after = RegistryJson.decode(imageRead.get().value(), ImageRecord.class).withoutTag(tag);
                tx.add(Mutation.update(imageRead.get(), RegistryJson.encode(after)));
            }
            try {
                store.commit(tx, COMMIT_TIMEOUT);
                if (after == null) {
                    throw notFound(repository, tag);
                }
                return after;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Replaces the stored image (same key) if unchanged since {@code read}; for scans and the like. */
    public void update(String repository, Digest digest, java.util.function.UnaryOperator<ImageRecord> change) {
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> read = store.get(KIND, key(repository, digest));
            if (read.isEmpty()) {
                return;
            }
            ImageRecord updated = change.apply(RegistryJson.decode(read.get().value(), ImageRecord.class));
            try {
                store.commit(List.of(Mutation.update(read.get(), RegistryJson.encode(updated))), COMMIT_TIMEOUT);
                return;
            } catch (ConflictException e) {
                if (attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Deletes every image, tag and referrer entry of a repository. */
    public void purge(String repository) {
        for (String kind : List.of(KIND, TAG_KIND, REFERRER_KIND)) {
            String prefix = repository + (kind.equals(TAG_KIND) ? ":" : "@");
            while (true) {
                List<Versioned> batch = store.scan(kind, prefix, null, 500);
                if (batch.isEmpty()) {
                    break;
                }
                List<Mutation> tx = new ArrayList<>();
                batch.forEach(v -> tx.add(new Mutation.Delete(kind, v.key(), Mutation.ANY)));
                store.commit(tx, COMMIT_TIMEOUT);
            }
        }
    }

    /** Every image of every repository, in key order after {@code afterKey}, at most {@code limit} (for GC). */
    public List<Versioned> scanAll(String afterKey, int limit) {
        return store.scan(KIND, "", afterKey, limit);
    }
}
