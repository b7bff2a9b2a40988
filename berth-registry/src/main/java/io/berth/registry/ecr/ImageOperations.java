package io.berth.registry.ecr;

import static io.berth.registry.ecr.EcrJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.registry.RegistryJson;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.Images;
import io.berth.registry.repository.Repositories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** ECR's image operations: PutImage, BatchGetImage, BatchDeleteImage, DescribeImages, ListImages. */
public final class ImageOperations {
    private final Repositories repositories;
    private final Images images;
    private final RepositoryOperations repositoryOps;

    public ImageOperations(Repositories repositories, Images images, RepositoryOperations repositoryOps) {
        this.repositories = repositories;
        this.images = images;
        this.repositoryOps = repositoryOps;
    }

    public ObjectNode putImage(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        String digestText = text(in, "imageDigest");
        Digest expected = null;
        if (digestText != null) {
            expected = Digest.tryParse(digestText).orElseThrow(() -> new RegistryException(
                    RegistryError.INVALID_PARAMETER, "Invalid parameter at 'imageDigest' failed to satisfy constraint: "
                    + "'Invalid image digest'"));
        }
        String declaredType = text(in, "imageManifestMediaType");
        repositories.require(name); // RepositoryNotFoundException comes first, whatever the manifest
        if (declaredType == null && !hasMediaType(in.get("imageManifest").asText())) {
            throw new RegistryException(RegistryError.MANIFEST_INVALID, "Invalid parameter at 'ImageManifest' failed "
                    + "to satisfy constraint: 'Invalid JSON syntax'");
        }
        byte[] manifest = in.get("imageManifest").asText().getBytes(StandardCharsets.UTF_8);
        String tag = text(in, "imageTag");
        Images.Pushed pushed = images.push(new Images.Push(name, manifest, declaredType, tag, expected, true));
        ObjectNode out = RegistryJson.object();
        ObjectNode image = out.putObject("image").put("registryId", repositories.registryId())
                .put("repositoryName", name);
        image.set("imageId", EcrJson.imageId(pushed.image().digest().toString(), tag));
        image.put("imageManifest", in.get("imageManifest").asText())
                .put("imageManifestMediaType", pushed.image().mediaType());
        return out;
    }

    /**
     * Whether a manifest names its own type. PutImage needs the type from the manifest's
     * {@code mediaType} or from {@code imageManifestMediaType} ("If you push an image manifest that does
     * not contain the mediaType field, you must specify the imageManifestMediaType"); ECR refuses a
     * manifest with neither, OCI's optional {@code mediaType} notwithstanding, as InvalidParameterException
     * "'Invalid JSON syntax'" (aws/aws-cli#6745, #8620; boto/boto3#3295), and so does Berth rather than
     * guess. A {@code /v2/} push has its Content-Type for this, and infers the type when it has none.
     */
    private static boolean hasMediaType(String manifest) {
        try {
            JsonNode root = RegistryJson.MAPPER.readTree(manifest);
            return root != null && root.path("mediaType").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    /** An imageId of a request resolved, or why it could not be. */
    private record Resolved(ImageRecord image, String failureCode, String failureReason) {
    }

    private Resolved resolve(String name, JsonNode id) {
        String digestText = text(id, "imageDigest");
        String tag = text(id, "imageTag");
        if (digestText == null && tag == null) {
            return new Resolved(null, "MissingDigestAndTag", "Invalid request parameters: both tag and digest cannot "
                    + "be null");
        }
        Optional<Digest> digest = Optional.empty();
        if (digestText != null) {
            digest = Digest.tryParse(digestText);
            if (digest.isEmpty()) {
                return new Resolved(null, "InvalidImageDigest", "Invalid request parameters: image digest should "
                        + "satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
            }
        }
        if (tag != null && !Images.validTag(tag)) {
            return new Resolved(null, "InvalidImageTag", "Invalid request parameters: image tag is not valid");
        }
        Optional<ImageRecord> image;
        if (tag != null) {
            Optional<Digest> tagged = images.tag(name, tag);
            if (digest.isPresent() && tagged.isPresent() && !tagged.get().equals(digest.get())) {
                return new Resolved(null, "ImageTagDoesNotMatchDigest", "Invalid request parameters: given tag does "
                        + "not map to the given digest");
            }
            image = tagged.flatMap(d -> images.find(name, d));
        } else {
            image = images.find(name, digest.get());
        }
        return image.map(i -> new Resolved(i, null, null))
                .orElseGet(() -> new Resolved(null, "ImageNotFound", "Requested image not found"));
    }

    private static ObjectNode failure(JsonNode id, String code, String reason) {
        ObjectNode f = RegistryJson.object();
        f.set("imageId", EcrJson.imageId(text(id, "imageDigest"), text(id, "imageTag")));
        return f.put("failureCode", code).put("failureReason", reason);
    }

    public ObjectNode batchGetImage(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        List<String> accepted = new ArrayList<>();
        in.path("acceptedMediaTypes").forEach(t -> accepted.add(t.asText()));
        ObjectNode out = RegistryJson.object();
        ArrayNode found = out.putArray("images");
        ArrayNode failures = out.putArray("failures");
        for (JsonNode id : in.get("imageIds")) {
            Resolved r = resolve(name, id);
            if (r.image() == null) {
                failures.add(failure(id, r.failureCode(), r.failureReason()));
                continue;
            }
            ImageRecord served = served(r.image(), text(id, "imageDigest") == null, accepted);
            ObjectNode image = found.addObject().put("registryId", repositories.registryId())
                    .put("repositoryName", name);
            image.set("imageId", EcrJson.imageId(served.digest().toString(), text(id, "imageTag")));
            image.put("imageManifest", new String(images.manifest(served), StandardCharsets.UTF_8))
                    .put("imageManifestMediaType", served.mediaType());
            images.recordPull(served);
        }
        return out;
    }

    /**
     * The image BatchGetImage returns for {@code image}, given the caller's acceptedMediaTypes (none:
     * anything). As a pull by tag on {@code /v2/} (ECR serves pulls through BatchGetImage): an index
     * the caller does not take becomes its linux/amd64 manifest if the caller takes that. Otherwise the
     * image as stored, whatever the caller accepts: ECR's ImageFailureCode has no code for a media type,
     * and a type outside acceptedMediaTypes in the answer means ECR could not convert
     * (awslabs/amazon-ecr-containerd-resolver#13); Berth converts nothing else (ECR's schema 2 / OCI
     * translations by tag are not done).
     */
    private ImageRecord served(ImageRecord image, boolean byTag, List<String> accepted) {
        if (accepted.isEmpty() || accepted.contains(image.mediaType()) || !byTag || !image.index()) {
            return image;
        }
        return images.platformManifest(image, accepted::contains).orElse(image);
    }

    public ObjectNode batchDeleteImage(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        ObjectNode out = RegistryJson.object();
        ArrayNode deleted = out.putArray("imageIds");
        ArrayNode failures = out.putArray("failures");
        for (JsonNode id : in.get("imageIds")) {
            Resolved r = resolve(name, id);
            if (r.image() == null) {
                failures.add(failure(id, r.failureCode(), r.failureReason()));
                continue;
            }
            String tag = text(id, "imageTag");
            try {
                if (tag != null && text(id, "imageDigest") == null && r.image().tags().size() > 1) {
                    images.untag(name, tag);
                    deleted.add(EcrJson.imageId(r.image().digest().toString(), tag));
                } else {
                    ImageRecord gone = images.delete(name, r.image().digest());
                    if (gone.tags().isEmpty()) {
                        deleted.add(EcrJson.imageId(gone.digest().toString(), null));
                    }
                    gone.tags().forEach(t -> deleted.add(EcrJson.imageId(gone.digest().toString(), t)));
                }
            } catch (RegistryException e) {
                if (e.error() == RegistryError.IMAGE_REFERENCED) {
                    failures.add(failure(id, "ImageReferencedByManifestList", e.getMessage()));
                } else if (e.error() == RegistryError.IMAGE_NOT_FOUND) {
                    failures.add(failure(id, "ImageNotFound", "Requested image not found"));
                } else {
                    throw e;
                }
            }
        }
        return out;
    }

    private static Predicate<ImageRecord> tagStatus(JsonNode filter) {
        String status = filter == null ? "ANY" : filter.path("tagStatus").asText("ANY");
        return switch (status) {
            case "TAGGED" -> ImageRecord::tagged;
            case "UNTAGGED" -> i -> !i.tagged();
            default -> i -> true;
        };
    }

    public ObjectNode describeImages(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        ObjectNode out = RegistryJson.object();
        ArrayNode details = out.putArray("imageDetails");
        JsonNode ids = in.get("imageIds");
        if (ids != null && !ids.isNull()) {
            if (in.hasNonNull("nextToken") || in.hasNonNull("maxResults")) {
                throw new RegistryException(RegistryError.INVALID_PARAMETER,
                        "Invalid parameter: nextToken and maxResults cannot be used with imageIds");
            }
            for (JsonNode id : ids) {
                Resolved r = resolve(name, id);
                if (r.image() == null) {
                    if ("ImageNotFound".equals(r.failureCode())) {
                        String ref = text(id, "imageTag") != null ? text(id, "imageTag") : text(id, "imageDigest");
                        throw images.notFound(name, ref);
                    }
                    throw new RegistryException(RegistryError.INVALID_PARAMETER, r.failureReason());
                }
                details.add(EcrJson.imageDetail(repositories.registryId(), r.image()));
            }
            return out;
        }
        int max = in.hasNonNull("maxResults") ? in.get("maxResults").asInt() : 100;
        Predicate<ImageRecord> filter = tagStatus(in.get("filter"));
        String listing = "images/" + name;
        String after = PageToken.after(listing, text(in, "nextToken"));
        int count = 0;
        while (true) {
            List<ImageRecord> page = images.list(name, after, 500);
            for (ImageRecord i : page) {
                if (!filter.test(i)) {
                    after = i.digest().toString();
                    continue;
                }
                if (count == max) {
                    out.put("nextToken", PageToken.of(listing, after));
                    return out;
                }
                details.add(EcrJson.imageDetail(repositories.registryId(), i));
                count++;
                after = i.digest().toString();
            }
            if (page.size() < 500) {
                return out;
            }
        }
    }

    public ObjectNode listImages(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        ObjectNode out = RegistryJson.object();
        ArrayNode ids = out.putArray("imageIds");
        int max = in.hasNonNull("maxResults") ? in.get("maxResults").asInt() : 100;
        Predicate<ImageRecord> filter = tagStatus(in.get("filter"));
        String listing = "image-ids/" + name;
        String after = PageToken.after(listing, text(in, "nextToken"));
        int count = 0;
        while (true) {
            List<ImageRecord> page = images.list(name, after, 500);
            for (ImageRecord i : page) {
                if (!filter.test(i)) {
                    after = i.digest().toString();
                    continue;
                }
                int entries = Math.max(1, i.tags().size());
                if (count > 0 && count + entries > max) {
                    out.put("nextToken", PageToken.of(listing, after));
                    return out;
                }
                if (i.tags().isEmpty()) {
                    ids.add(EcrJson.imageId(i.digest().toString(), null));
                }
                i.tags().forEach(t -> ids.add(EcrJson.imageId(i.digest().toString(), t)));
                count += entries;
                after = i.digest().toString();
            }
            if (page.size() < 500) {
                return out;
            }
        }
    }
}
