package io.berth.registry.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.registry.RegistryJson;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.Images;
import io.berth.registry.image.MediaTypes;
import io.berth.registry.repository.Repositories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/**
 * Manifests, tags, referrers and the catalog: end-3 (GET/HEAD manifest, with content negotiation),
 * end-7 (PUT manifest), end-8 (tags list with {@code n}/{@code last} and {@code Link}), end-9
 * (DELETE manifest or tag), end-12 (referrers with the {@code artifactType} filter).
 */
final class ManifestEndpoints {
    private final Repositories repositories;
    private final Images images;

    ManifestEndpoints(Repositories repositories, Images images) {
        this.repositories = repositories;
        this.images = images;
    }

    void get(Exchange x, String name, String reference) {
        ImageRecord image = images.resolve(name, reference);
        if (reference.indexOf(':') < 0 && image.index() && !accepts(x, image.mediaType())) {
            Optional<ImageRecord> platform = images.platformManifest(image, t -> accepts(x, t));
            if (platform.isPresent()) {
                image = platform.get();
            }
        }
        byte[] bytes = images.manifest(image);
        // A pull: any GET, or a HEAD that resolves a tag (Docker's pull of a manifest it has cached).
        // A HEAD by digest is a pusher's existence check. Recorded before the answer, so that a
        // client that has its manifest sees the pull in DescribeImages.
        if (!x.head() || reference.indexOf(':') < 0) {
            images.recordPull(image);
        }
        x.header("Docker-Content-Digest", image.digest()).header("ETag", "\"" + image.digest() + "\"");
        x.body(200, image.mediaType(), bytes);
    }

    void put(Exchange x, String name, String reference) {
        byte[] body;
        try {
            body = readLimited(x.request, Images.MAX_MANIFEST_BYTES);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        boolean byDigest = reference.indexOf(':') > 0;
        Digest expected = byDigest ? DistributionRoute.digest(reference) : null;
        Images.Pushed pushed = images.push(new Images.Push(name, body, x.header("Content-Type"),
                byDigest ? null : reference, expected, false));
        x.header("Location", "/v2/" + name + "/manifests/" + pushed.image().digest())
                .header("Docker-Content-Digest", pushed.image().digest());
        if (pushed.image().subject() != null) {
            x.header("OCI-Subject", pushed.image().subject());
        }
        x.empty(201);
    }

    void delete(Exchange x, String name, String reference) {
        if (reference.indexOf(':') > 0) {
            images.delete(name, DistributionRoute.digest(reference));
        } else {
            if (!Images.validTag(reference)) {
                throw new RegistryException(RegistryError.TAG_INVALID, "invalid tag: " + reference);
            }
            images.untag(name, reference);
        }
        x.empty(202);
    }

    void tags(Exchange x, String name) {
        int n = limit(x, 10_000);
        String last = x.query("last");
        List<String> page = n == 0 ? List.of() : images.tags(name, last, n + 1);
        boolean more = page.size() > n;
        if (more) {
            page = page.subList(0, n);
            x.header("Link", "</v2/" + name + "/tags/list?n=" + n + "&last=" + page.get(n - 1) + ">; rel=\"next\"");
        }
        ObjectNode body = RegistryJson.object().put("name", name);
        ArrayNode tags = body.putArray("tags");
        page.forEach(tags::add);
        x.json(200, body);
    }

    void referrers(Exchange x, String name, Digest subject) {
        String artifactType = x.query("artifactType");
        ObjectNode index = RegistryJson.object().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (ImageRecord referrer : images.referrers(name, subject)) {
            if (artifactType != null && !artifactType.equals(referrer.artifactType())) {
                continue;
            }
            ObjectNode d = manifests.addObject().put("mediaType", referrer.mediaType())
                    .put("digest", referrer.digest().toString()).put("size", referrer.manifestSize());
            if (referrer.artifactType() != null) {
                d.put("artifactType", referrer.artifactType());
            }
            if (!referrer.annotations().isEmpty()) {
                d.set("annotations", RegistryJson.MAPPER.valueToTree(referrer.annotations()));
            }
        }
        if (artifactType != null) {
            x.header("OCI-Filters-Applied", "artifactType");
        }
        x.body(200, MediaTypes.OCI_INDEX, index.toString().getBytes(StandardCharsets.UTF_8));
    }

    void catalog(Exchange x) {
        if (!x.method().equals("GET")) {
            x.error(OciErrors.UNSUPPORTED, "the operation is unsupported", null);
            return;
        }
        int n = limit(x, 1000);
        List<String> names = new ArrayList<>();
        if (n > 0) {
            repositories.list(x.query("last"), n + 1).forEach(r -> names.add(r.name()));
        }
        if (names.size() > n) {
            names.subList(n, names.size()).clear();
            x.header("Link", "</v2/_catalog?n=" + n + "&last=" + names.get(n - 1) + ">; rel=\"next\"");
        }
        ObjectNode body = RegistryJson.object();
        ArrayNode repos = body.putArray("repositories");
        names.forEach(repos::add);
        x.json(200, body);
    }

    private static int limit(Exchange x, int fallback) {
        String n = x.query("n");
        if (n == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(n);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Math.min(value, 10_000);
        } catch (NumberFormatException e) {
            throw new RegistryException(RegistryError.INVALID_PARAMETER, "n must be a non-negative integer");
        }
    }

    /** Whether the client's Accept headers take {@code mediaType} (no Accept: anything goes). */
    private static boolean accepts(Exchange x, String mediaType) {
        List<String> accepted = accepted(x);
        return accepted.isEmpty() || accepted.contains(mediaType) || accepted.contains("*/*");
    }

    private static List<String> accepted(Exchange x) {
        List<String> out = new ArrayList<>();
        for (HttpField f : x.request.getHeaders()) {
            if (f.getName().equalsIgnoreCase("Accept")) {
                for (String v : f.getValue().split(",")) {
                    String bare = MediaTypes.bare(v);
                    if (bare != null && !bare.isEmpty()) {
                        out.add(bare);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Reads a body of at most {@code limit} bytes. A larger one is refused, but read (and discarded)
     * up to {@link #DRAIN_LIMIT} first: a client still sending when the answer and the close come
     * would see a reset instead of the 413.
     */
    private static byte[] readLimited(Request request, int limit) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            if (request.getLength() > limit) {
                drain(in);
                throw tooLarge(limit);
            }
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                drain(in);
                throw tooLarge(limit);
            }
            return bytes;
        }
    }

    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < DRAIN_LIMIT && (n = in.read(sink)) > 0) {
            total += n;
        }
    }

    private static RegistryException tooLarge(int limit) {
        return new RegistryException(RegistryError.MANIFEST_TOO_LARGE, "manifest is larger than " + limit + " bytes");
    }
}
