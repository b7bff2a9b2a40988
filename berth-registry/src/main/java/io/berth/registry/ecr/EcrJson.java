package io.berth.registry.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.registry.RegistryJson;
import io.berth.registry.image.ImageRecord;
import io.berth.registry.repository.Repositories;
import io.berth.registry.repository.Repository;
import io.berth.registry.repository.ResourceTag;
import java.util.List;

/** ECR's wire shapes of the registry's records. */
final class EcrJson {
    private EcrJson() {
    }

    static ObjectNode repository(Repositories repositories, Repository r) {
        ObjectNode n = RegistryJson.object()
                .put("repositoryArn", repositories.arn(r.name()))
                .put("registryId", repositories.registryId())
                .put("repositoryName", r.name())
                .put("repositoryUri", repositories.uri(r.name()));
        n.set("createdAt", RegistryJson.timestamp(r.createdAt()));
        n.put("imageTagMutability", r.tagMutability().name());
        if (!r.mutabilityExclusions().isEmpty()) {
            n.set("imageTagMutabilityExclusionFilters", exclusionFilters(r.mutabilityExclusions()));
        }
        n.putObject("imageScanningConfiguration").put("scanOnPush", r.scanOnPush());
        ObjectNode enc = n.putObject("encryptionConfiguration").put("encryptionType", r.encryptionType());
        if (r.kmsKey() != null) {
            enc.put("kmsKey", r.kmsKey());
        }
        return n;
    }

    static ArrayNode exclusionFilters(List<String> filters) {
        ArrayNode a = RegistryJson.array();
        filters.forEach(f -> a.addObject().put("filterType", "WILDCARD").put("filter", f));
        return a;
    }

    static ArrayNode tags(List<ResourceTag> tags) {
        ArrayNode a = RegistryJson.array();
        tags.forEach(t -> a.addObject().put("Key", t.key()).put("Value", t.value()));
        return a;
    }

    static ObjectNode imageId(String digest, String tag) {
        ObjectNode id = RegistryJson.object();
        if (digest != null) {
            id.put("imageDigest", digest);
        }
        if (tag != null) {
            id.put("imageTag", tag);
        }
        return id;
    }

    static ObjectNode imageDetail(String registryId, ImageRecord i) {
        ObjectNode n = RegistryJson.object()
                .put("registryId", registryId)
                .put("repositoryName", i.repository())
                .put("imageDigest", i.digest().toString());
        if (i.tagged()) {
            ArrayNode tags = n.putArray("imageTags");
            i.tags().forEach(tags::add);
        }
        n.put("imageSizeInBytes", i.size());
        n.set("imagePushedAt", RegistryJson.timestamp(i.pushedAt()));
        n.put("imageManifestMediaType", i.mediaType());
        if (i.configMediaType() != null) {
            n.put("artifactMediaType", i.configMediaType());
        }
        if (i.lastPulledAt() != null) {
            n.set("lastRecordedPullTime", RegistryJson.timestamp(i.lastPulledAt()));
        }
        if (i.subject() != null) {
            n.put("subjectManifestDigest", i.subject().toString());
        }
        n.put("imageStatus", "ACTIVE");
        if (i.scan() != null) {
            ObjectNode status = n.putObject("imageScanStatus").put("status", i.scan().status());
            if (i.scan().description() != null) {
                status.put("description", i.scan().description());
            }
            if (i.scan().completedAt() != null) {
                ObjectNode summary = n.putObject("imageScanFindingsSummary");
                summary.set("imageScanCompletedAt", RegistryJson.timestamp(i.scan().completedAt()));
                summary.set("vulnerabilitySourceUpdatedAt", RegistryJson.timestamp(i.scan().completedAt()));
                summary.set("findingSeverityCounts", RegistryJson.MAPPER.valueToTree(i.scan().severityCounts()));
            }
        }
        return n;
    }

    static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
