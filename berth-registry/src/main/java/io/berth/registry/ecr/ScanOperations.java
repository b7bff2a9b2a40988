package io.berth.registry.ecr;

import static io.berth.registry.ecr.EcrJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.registry.RegistryJson;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.image.Images;
import io.berth.registry.image.ScanState;
import io.berth.registry.repository.Repositories;
import io.berth.registry.scan.Finding;
import io.berth.registry.scan.ImageScanner;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** ECR's basic scanning: StartImageScan (once per image per 24 hours) and DescribeImageScanFindings. */
public final class ScanOperations {
    static final Duration SCAN_QUOTA = Duration.ofHours(24);

    private final Repositories repositories;
    private final Images images;
    private final ImageScanner scanner;
    private final RepositoryOperations repositoryOps;
    private final InstantSource clock;

    public ScanOperations(Repositories repositories, Images images, ImageScanner scanner,
                          RepositoryOperations repositoryOps, InstantSource clock) {
        this.repositories = repositories;
        this.images = images;
        this.scanner = scanner;
        this.repositoryOps = repositoryOps;
        this.clock = clock;
    }

    private ImageRecord image(String name, JsonNode id) {
        String digest = text(id, "imageDigest");
        String tag = text(id, "imageTag");
        if (digest == null && tag == null) {
            throw new RegistryException(RegistryError.INVALID_PARAMETER,
                    "Invalid parameter at 'imageId' failed to satisfy constraint: 'imageDigest or imageTag is required'");
        }
        ImageRecord image = images.resolve(name, digest != null ? digest : tag);
        if (digest != null && tag != null && !images.tag(name, tag).map(d -> d.toString().equals(digest)).orElse(false)) {
            throw images.notFound(name, tag);
        }
        return image;
    }

    private ObjectNode imageId(ImageRecord image, JsonNode requested) {
        return EcrJson.imageId(image.digest().toString(), text(requested, "imageTag"));
    }

    public ObjectNode startImageScan(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        ImageRecord image = image(name, in.get("imageId"));
        if (image.index() || image.configMediaType() == null || !image.configMediaType().contains("image")) {
            throw new RegistryException(RegistryError.UNSUPPORTED_IMAGE_TYPE, "The image type is not supported for "
                    + "scanning: " + image.mediaType());
        }
        ScanState previous = image.scan();
        if (previous != null && previous.completedAt() != null
                && previous.completedAt().plus(SCAN_QUOTA).isAfter(clock.instant())) {
            throw new RegistryException(RegistryError.LIMIT_EXCEEDED, "The scan quota per image has been exceeded. "
                    + "Wait and try again.");
        }
        ScanState state = scanner.start(image);
        ObjectNode out = RegistryJson.object().put("registryId", repositories.registryId()).put("repositoryName", name);
        out.set("imageId", imageId(image, in.get("imageId")));
        out.putObject("imageScanStatus").put("status", state.status());
        return out;
    }

    public ObjectNode describeImageScanFindings(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        ImageRecord image = image(name, in.get("imageId"));
        ScanState scan = image.scan();
        if (scan == null) {
            throw new RegistryException(RegistryError.SCAN_NOT_FOUND, "Image scan does not exist for the image with "
                    + "'{imageDigest:" + image.digest() + ", imageTag:" + text(in.get("imageId"), "imageTag")
                    + "}' in the repository with name '" + name + "' in the registry with id '"
                    + repositories.registryId() + "'");
        }
        ObjectNode out = RegistryJson.object().put("registryId", repositories.registryId()).put("repositoryName", name);
        out.set("imageId", imageId(image, in.get("imageId")));
        ObjectNode status = out.putObject("imageScanStatus").put("status", scan.status());
        if (scan.description() != null) {
            status.put("description", scan.description());
        }
        if (!"COMPLETE".equals(scan.status())) {
            return out;
        }
        ImageScanner.Findings findings = scanner.findings(name, image.digest()).orElse(null);
        if (findings == null) {
            return out;
        }
        ObjectNode result = out.putObject("imageScanFindings");
        result.set("imageScanCompletedAt", RegistryJson.timestamp(findings.completedAt()));
        result.set("vulnerabilitySourceUpdatedAt", RegistryJson.timestamp(findings.sourceUpdatedAt()));
        Map<String, Integer> counts = new TreeMap<>();
        findings.findings().forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        result.set("findingSeverityCounts", RegistryJson.MAPPER.valueToTree(counts));
        int max = in.hasNonNull("maxResults") ? in.get("maxResults").asInt() : 100;
        String listing = "findings/" + name + "@" + image.digest() + "/" + findings.completedAt().toEpochMilli();
        String after = PageToken.after(listing, text(in, "nextToken"));
        int from = after == null ? 0 : Integer.parseInt(after);
        List<Finding> all = findings.findings();
        ArrayNode list = result.putArray("findings");
        for (int i = from; i < Math.min(all.size(), from + max); i++) {
            Finding f = all.get(i);
            ObjectNode n = list.addObject().put("name", f.name()).put("severity", f.severity());
            if (f.description() != null) {
                n.put("description", f.description());
            }
            if (f.uri() != null) {
                n.put("uri", f.uri());
            }
            ArrayNode attributes = n.putArray("attributes");
            f.attributes().forEach((k, v) -> attributes.addObject().put("key", k).put("value", v));
        }
        if (from + max < all.size()) {
            out.put("nextToken", PageToken.of(listing, String.valueOf(from + max)));
        }
        return out;
    }
}
