package io.berth.registry.ecr;

import static io.berth.registry.ecr.EcrJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.arn.Arn;
import io.berth.registry.RegistryJson;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.image.Images;
import io.berth.registry.layer.Layers;
import io.berth.registry.repository.Repositories;
import io.berth.registry.repository.Repository;
import io.berth.registry.repository.ResourceTag;
import io.berth.registry.repository.TagMutability;
import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * ECR's repository operations: Create/Describe/DeleteRepository, PutImageTagMutability,
 * PutImageScanningConfiguration, the resource tags, the repository policy and DescribeRegistry.
 */
public final class RepositoryOperations {
    static final int MAX_TAGS = 50;

    private final Repositories repositories;
    private final Images images;
    private final Layers layers;
    private final InstantSource clock;
    private final Consumer<String> onDelete;

    /** {@code onDelete} forgets what other parts keep about a deleted repository. */
    public RepositoryOperations(Repositories repositories, Images images, Layers layers, InstantSource clock,
                                Consumer<String> onDelete) {
        this.repositories = repositories;
        this.images = images;
        this.layers = layers;
        this.clock = clock;
        this.onDelete = onDelete;
    }

    /** Refuses a registryId other than this registry's. */
    void checkRegistry(ObjectNode in) {
        String id = text(in, "registryId");
        if (id != null && !id.equals(repositories.registryId())) {
            throw new RegistryException(RegistryError.INVALID_PARAMETER, "Invalid parameter at 'registryId' failed to "
                    + "satisfy constraint: 'The registry " + id + " is not this registry ("
                    + repositories.registryId() + ")'");
        }
    }

    public ObjectNode createRepository(RequestContext ctx, ObjectNode in) {
        checkRegistry(in);
        String name = in.get("repositoryName").asText();
        TagMutability mutability = in.hasNonNull("imageTagMutability")
                ? TagMutability.valueOf(in.get("imageTagMutability").asText()) : TagMutability.MUTABLE;
        List<String> exclusions = exclusions(mutability, in.get("imageTagMutabilityExclusionFilters"));
        boolean scanOnPush = in.path("imageScanningConfiguration").path("scanOnPush").asBoolean(false);
        JsonNode enc = in.path("encryptionConfiguration");
        String encryptionType = enc.hasNonNull("encryptionType") ? enc.get("encryptionType").asText() : "AES256";
        String kmsKey = enc.hasNonNull("kmsKey") ? enc.get("kmsKey").asText() : null;
        if (kmsKey != null && encryptionType.equals("AES256")) {
            throw new RegistryException(RegistryError.INVALID_PARAMETER,
                    "Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: "
                            + "'kmsKey can only be specified when encryptionType is KMS'");
        }
        List<ResourceTag> tags = parseTags(in.get("tags"));
        Repository created = repositories.create(new Repository(name, clock.instant(), mutability, exclusions,
                scanOnPush, encryptionType, kmsKey, tags, null, null, null));
        ObjectNode out = RegistryJson.object();
        out.set("repository", EcrJson.repository(repositories, created));
        return out;
    }

    public ObjectNode describeRepositories(RequestContext ctx, ObjectNode in) {
        checkRegistry(in);
        ObjectNode out = RegistryJson.object();
        ArrayNode list = out.putArray("repositories");
        JsonNode names = in.get("repositoryNames");
        if (names != null && !names.isNull()) {
            if (in.hasNonNull("nextToken") || in.hasNonNull("maxResults")) {
                throw new RegistryException(RegistryError.INVALID_PARAMETER, "Invalid parameter: nextToken and "
                        + "maxResults cannot be used with repositoryNames");
            }
            for (JsonNode n : names) {
                list.add(EcrJson.repository(repositories, repositories.require(n.asText())));
            }
            return out;
        }
        int max = in.hasNonNull("maxResults") ? in.get("maxResults").asInt() : 100;
        String after = PageToken.after("repositories", text(in, "nextToken"));
        List<Repository> page = repositories.list(after, max + 1);
        for (int i = 0; i < Math.min(max, page.size()); i++) {
            list.add(EcrJson.repository(repositories, page.get(i)));
        }
        if (page.size() > max) {
            out.put("nextToken", PageToken.of("repositories", page.get(max - 1).name()));
        }
        return out;
    }

    public ObjectNode deleteRepository(RequestContext ctx, ObjectNode in) {
        checkRegistry(in);
        String name = in.get("repositoryName").asText();
        Repository repository = repositories.require(name);
        boolean force = in.path("force").asBoolean(false);
        if (!force && images.count(name) > 0) {
            throw new RegistryException(RegistryError.REPOSITORY_NOT_EMPTY, "The repository with name '" + name
                    + "' in registry with id '" + repositories.registryId()
                    + "' cannot be deleted because it still contains images");
        }
        repositories.remove(name);
        images.purge(name);
        layers.purge(name);
        onDelete.accept(name);
        ObjectNode out = RegistryJson.object();
        out.set("repository", EcrJson.repository(repositories, repository));
        return out;
    }

    public ObjectNode putImageTagMutability(RequestContext ctx, ObjectNode in) {
        checkRegistry(in);
        String name = in.get("repositoryName").asText();
        TagMutability mutability = TagMutability.valueOf(in.get("imageTagMutability").asText());
        List<String> exclusions = exclusions(mutability, in.get("imageTagMutabilityExclusionFilters"));
        Repository r = repositories.update(name, repo -> repo.withTagMutability(mutability, exclusions));
        ObjectNode out = RegistryJson.object().put("registryId", repositories.registryId())
                .put("repositoryName", name).put("imageTagMutability", r.tagMutability().name());
        if (!exclusions.isEmpty()) {
            out.set("imageTagMutabilityExclusionFilters", EcrJson.exclusionFilters(exclusions));
        }
        return out;
    }

    public ObjectNode putImageScanningConfiguration(RequestContext ctx, ObjectNode in) {
        checkRegistry(in);
        String name = in.get("repositoryName").asText();
        boolean scan = in.path("imageScanningConfiguration").path("scanOnPush").asBoolean(false);
        repositories.update(name, r -> r.withScanOnPush(scan));
        ObjectNode out = RegistryJson.object().put("registryId", repositories.registryId()).put("repositoryName", name);
        out.putObject("imageScanningConfiguration").put("scanOnPush", scan);
        return out;
    }

    private static List<String> exclusions(TagMutability mutability, JsonNode filters) {
        List<String> out = new ArrayList<>();
        if (filters != null && !filters.isNull()) {
            filters.forEach(f -> out.add(f.get("filter").asText()));
        }
        boolean needs = mutability == TagMutability.IMMUTABLE_WITH_EXCLUSION
                || mutability == TagMutability.MUTABLE_WITH_EXCLUSION;
        if (needs && out.isEmpty()) {
            throw new RegistryException(RegistryError.INVALID_PARAMETER, "Invalid parameter at "
                    + "'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'exclusion filters are "
                    + "required when imageTagMutability is " + mutability + "'");
        }
        if (!needs && !out.isEmpty()) {
            throw new RegistryException(RegistryError.INVALID_PARAMETER, "Invalid parameter at "
                    + "'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'exclusion filters can only "
                    + "be used with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'");
        }
        return out;
    }

    // ---- resource tags ----

    public ObjectNode tagResource(RequestContext ctx, ObjectNode in) {
        String name = repositoryOfArn(in.get("resourceArn").asText());
        List<ResourceTag> added = parseTags(in.get("tags"));
        repositories.update(name, r -> {
            Map<String, ResourceTag> merged = new LinkedHashMap<>();
            r.tags().forEach(t -> merged.put(t.key(), t));
            added.forEach(t -> merged.put(t.key(), t));
            if (merged.size() > MAX_TAGS) {
                throw tooManyTags();
            }
            return r.withTags(List.copyOf(merged.values()));
        });
        return RegistryJson.object();
    }

    public ObjectNode untagResource(RequestContext ctx, ObjectNode in) {
        String name = repositoryOfArn(in.get("resourceArn").asText());
        List<String> keys = new ArrayList<>();
        in.get("tagKeys").forEach(k -> keys.add(k.asText()));
        for (String k : keys) {
            validateTagKey(k);
        }
        repositories.update(name, r -> r.withTags(r.tags().stream().filter(t -> !keys.contains(t.key())).toList()));
        return RegistryJson.object();
    }

    public ObjectNode listTagsForResource(RequestContext ctx, ObjectNode in) {
        String name = repositoryOfArn(in.get("resourceArn").asText());
        ObjectNode out = RegistryJson.object();
        out.set("tags", EcrJson.tags(repositories.require(name).tags()));
        return out;
    }

    private String repositoryOfArn(String text) {
        Optional<Arn> arn = Arn.parse(text);
        if (arn.isEmpty() || !"ecr".equals(arn.get().service()) || !arn.get().resource().startsWith("repository/")) {
            throw new RegistryException(RegistryError.INVALID_PARAMETER,
                    "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'");
        }
        String name = arn.get().resource().substring("repository/".length());
        if (!arn.get().account().equals(repositories.registryId())) {
            throw repositories.notFound(name);
        }
        repositories.require(name);
        return name;
    }

    static List<ResourceTag> parseTags(JsonNode tags) {
        if (tags == null || tags.isNull()) {
            return List.of();
        }
        Map<String, ResourceTag> unique = new LinkedHashMap<>();
        for (JsonNode t : tags) {
            String key = t.path("Key").asText("");
            String value = t.path("Value").asText("");
            validateTagKey(key);
            if (value.length() > 256) {
                throw new RegistryException(RegistryError.INVALID_TAG_PARAMETER,
                        "Tag value exceeds the maximum length of 256 characters");
            }
            unique.put(key, new ResourceTag(key, value));
        }
        if (unique.size() > MAX_TAGS) {
            throw tooManyTags();
        }
        return List.copyOf(unique.values());
    }

    private static void validateTagKey(String key) {
        if (key.isEmpty() || key.length() > 128) {
            throw new RegistryException(RegistryError.INVALID_TAG_PARAMETER,
                    "Tag keys must be between 1 and 128 characters long");
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw new RegistryException(RegistryError.INVALID_TAG_PARAMETER,
                    "Tag keys may not start with the reserved prefix 'aws:'");
        }
    }

    private static RegistryException tooManyTags() {
        return new RegistryException(RegistryError.TOO_MANY_TAGS,
                "A resource may have at most " + MAX_TAGS + " tags");
    }

    // ---- repository policy ----

    public ObjectNode setRepositoryPolicy(RequestContext ctx, ObjectNode in) {
        checkRegistry(in);
        String name = in.get("repositoryName").asText();
        String policy = in.get("policyText").asText();
        validatePolicy(policy);
        repositories.update(name, r -> r.withPolicyText(policy));
        return policyOut(name, policy);
    }

    public ObjectNode getRepositoryPolicy(RequestContext ctx, ObjectNode in) {
        checkRegistry(in);
        String name = in.get("repositoryName").asText();
        Repository r = repositories.require(name);
        if (r.policyText() == null) {
            throw policyNotFound(name);
        }
        return policyOut(name, r.policyText());
    }

    public ObjectNode deleteRepositoryPolicy(RequestContext ctx, ObjectNode in) {
        checkRegistry(in);
        String name = in.get("repositoryName").asText();
        String[] removed = new String[1];
        repositories.update(name, r -> {
            if (r.policyText() == null) {
                throw policyNotFound(name);
            }
            removed[0] = r.policyText();
            return r.withPolicyText(null);
        });
        return policyOut(name, removed[0]);
    }

    private ObjectNode policyOut(String name, String policy) {
        return RegistryJson.object().put("registryId", repositories.registryId()).put("repositoryName", name)
                .put("policyText", policy);
    }

    private RegistryException policyNotFound(String name) {
        return new RegistryException(RegistryError.REPOSITORY_POLICY_NOT_FOUND, "Repository policy does not exist "
                + "for the repository with name '" + name + "' in the registry with id '" + repositories.registryId()
                + "'");
    }

    static void validatePolicy(String policy) {
        try {
            JsonNode doc = RegistryJson.MAPPER.readTree(policy);
            JsonNode statements = doc == null ? null : doc.get("Statement");
            if (doc == null || !doc.isObject() || statements == null
                    || !(statements.isArray() || statements.isObject())) {
                throw invalidPolicy();
            }
            for (JsonNode s : statements.isArray() ? statements : RegistryJson.array().add(statements)) {
                if (!s.isObject() || !s.has("Effect") || !(s.has("Action") || s.has("NotAction"))) {
                    throw invalidPolicy();
                }
                String effect = s.get("Effect").asText();
                if (!effect.equals("Allow") && !effect.equals("Deny")) {
                    throw invalidPolicy();
                }
            }
        } catch (IOException e) {
            throw invalidPolicy();
        }
    }

    private static RegistryException invalidPolicy() {
        return new RegistryException(RegistryError.INVALID_PARAMETER,
                "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
    }

    // ---- registry ----

    public ObjectNode describeRegistry(RequestContext ctx, ObjectNode in) {
        ObjectNode out = RegistryJson.object().put("registryId", repositories.registryId());
        out.putObject("replicationConfiguration").putArray("rules");
        return out;
    }
}
