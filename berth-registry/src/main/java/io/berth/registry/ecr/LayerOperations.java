package io.berth.registry.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.registry.RegistryJson;
import io.berth.registry.auth.RegistryTokens;
import io.berth.registry.blob.Digest;
import io.berth.registry.blob.Upload;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.layer.Layers;
import io.berth.registry.oci.DistributionRoute;
import io.berth.registry.repository.Repositories;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * ECR's layer operations: BatchCheckLayerAvailability, Initiate/UploadLayerPart/CompleteLayerUpload
 * and GetDownloadUrlForLayer (a {@code /v2/} blob URL carrying a one-hour token for that blob).
 */
public final class LayerOperations {
    static final long PART_SIZE = 10L * 1024 * 1024;
    static final Duration DOWNLOAD_URL_TTL = Duration.ofHours(1);

    private final Repositories repositories;
    private final Layers layers;
    private final RegistryTokens tokens;
    private final RepositoryOperations repositoryOps;

    public LayerOperations(Repositories repositories, Layers layers, RegistryTokens tokens,
                           RepositoryOperations repositoryOps) {
        this.repositories = repositories;
        this.layers = layers;
        this.tokens = tokens;
        this.repositoryOps = repositoryOps;
    }

    public ObjectNode batchCheckLayerAvailability(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        ObjectNode out = RegistryJson.object();
        ArrayNode found = out.putArray("layers");
        ArrayNode failures = out.putArray("failures");
        for (JsonNode d : in.get("layerDigests")) {
            Optional<Digest> digest = Digest.tryParse(d.asText());
            if (digest.isEmpty()) {
                failures.addObject().put("layerDigest", d.asText()).put("failureCode", "InvalidLayerDigest")
                        .put("failureReason", "Invalid layer digest");
                continue;
            }
            Optional<Layers.Link> link = layers.linked(name, digest.get());
            if (link.isEmpty()) {
                failures.addObject().put("layerDigest", d.asText()).put("failureCode", "MissingLayerDigest")
                        .put("failureReason", "Could not find layer with digest " + d.asText());
                continue;
            }
            ObjectNode layer = found.addObject().put("layerDigest", d.asText()).put("layerAvailability", "AVAILABLE")
                    .put("layerSize", link.get().size());
            if (link.get().mediaType() != null) {
                layer.put("mediaType", link.get().mediaType());
            }
        }
        return out;
    }

    public ObjectNode initiateLayerUpload(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        Upload upload = layers.start(in.get("repositoryName").asText());
        return RegistryJson.object().put("uploadId", upload.id()).put("partSize", PART_SIZE);
    }

    public ObjectNode uploadLayerPart(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        String uploadId = in.get("uploadId").asText();
        long first = in.get("partFirstByte").asLong();
        long last = in.get("partLastByte").asLong();
        byte[] part = Base64.getDecoder().decode(in.get("layerPartBlob").asText());
        Upload upload = layers.upload(name, uploadId);
        if (last - first + 1 != part.length || first != upload.offset()) {
            throw new RegistryException(RegistryError.UPLOAD_OUT_OF_ORDER, "The layer part with first byte " + first
                    + " and last byte " + last + " is not valid for the upload with id '" + uploadId
                    + "': the last byte received was " + (upload.offset() - 1) + " and the part holds "
                    + part.length + " bytes");
        }
        Upload after = layers.append(name, uploadId, first, new ByteArrayInputStream(part));
        return RegistryJson.object().put("registryId", repositories.registryId()).put("repositoryName", name)
                .put("uploadId", uploadId).put("lastByteReceived", after.offset() - 1);
    }

    public ObjectNode completeLayerUpload(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        String uploadId = in.get("uploadId").asText();
        JsonNode digests = in.get("layerDigests");
        if (digests.size() != 1) {
            throw new RegistryException(RegistryError.INVALID_PARAMETER,
                    "Invalid parameter at 'layerDigests' failed to satisfy constraint: 'exactly one digest'");
        }
        Digest digest = Digest.tryParse(digests.get(0).asText()).orElseThrow(() -> new RegistryException(
                RegistryError.INVALID_PARAMETER, "Invalid parameter at 'layerDigests' failed to satisfy constraint: "
                + "'Invalid layer digest'"));
        Upload upload = layers.upload(name, uploadId);
        if (upload.offset() == 0) {
            throw new RegistryException(RegistryError.EMPTY_UPLOAD, "The upload with id '" + uploadId
                    + "' has not received any layer parts");
        }
        if (layers.find(name, digest).isPresent()) {
            layers.cancel(name, uploadId);
            throw new RegistryException(RegistryError.LAYER_ALREADY_EXISTS, "The layer '" + digest
                    + "' already exists in the repository with name '" + name + "' in registry with id '"
                    + repositories.registryId() + "'");
        }
        layers.complete(name, uploadId, digest);
        return RegistryJson.object().put("registryId", repositories.registryId()).put("repositoryName", name)
                .put("uploadId", uploadId).put("layerDigest", digest.toString());
    }

    public ObjectNode getDownloadUrlForLayer(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        String text = in.get("layerDigest").asText();
        Digest digest = Digest.tryParse(text).orElseThrow(() -> new RegistryException(RegistryError.INVALID_PARAMETER,
                "Invalid parameter at 'layerDigest' failed to satisfy constraint: 'Invalid layer digest'"));
        if (layers.find(name, digest).isEmpty()) {
            throw new RegistryException(RegistryError.BLOB_NOT_FOUND, "The specified layer " + digest
                    + " does not exist in the repository with name '" + name + "' in registry with id '"
                    + repositories.registryId() + "'");
        }
        String token = tokens.issue(ctx.accessKeyId(), DOWNLOAD_URL_TTL, name + "@" + digest).password();
        String url = "http://" + repositories.uri(name).replaceFirst("/", "/v2/") + "/blobs/" + digest + "?"
                + DistributionRoute.DOWNLOAD_TOKEN + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return RegistryJson.object().put("downloadUrl", url).put("layerDigest", digest.toString());
    }
}
