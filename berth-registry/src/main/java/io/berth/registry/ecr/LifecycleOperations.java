package io.berth.registry.ecr;

import static io.berth.registry.ecr.EcrJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.registry.RegistryJson;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.lifecycle.LifecycleEnforcer;
import io.berth.registry.lifecycle.LifecyclePolicy;
import io.berth.registry.lifecycle.LifecyclePreviews;
import io.berth.registry.repository.Repositories;
import io.berth.registry.repository.Repository;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * ECR's lifecycle policy operations: Put/Get/DeleteLifecyclePolicy and Start/GetLifecyclePolicyPreview.
 * The policy is enforced by the background {@link LifecycleEnforcer}.
 */
public final class LifecycleOperations {
    private final Repositories repositories;
    private final LifecyclePreviews previews;
    private final LifecycleEnforcer enforcer;
    private final RepositoryOperations repositoryOps;
    private final InstantSource clock;

    public LifecycleOperations(Repositories repositories, LifecyclePreviews previews, LifecycleEnforcer enforcer,
                               RepositoryOperations repositoryOps, InstantSource clock) {
        this.repositories = repositories;
        this.previews = previews;
        this.enforcer = enforcer;
        this.repositoryOps = repositoryOps;
        this.clock = clock;
    }

    public ObjectNode putLifecyclePolicy(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        String text = in.get("lifecyclePolicyText").asText();
        repositories.require(name);
        LifecyclePolicy.parse(text);
        repositories.update(name, r -> r.withLifecyclePolicy(text, clock.instant()));
        return base(name).put("lifecyclePolicyText", text);
    }

    public ObjectNode getLifecyclePolicy(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        Repository r = repositories.require(name);
        if (r.lifecyclePolicyText() == null) {
            throw notFound(name);
        }
        return withEvaluated(base(name).put("lifecyclePolicyText", r.lifecyclePolicyText()), name);
    }

    public ObjectNode deleteLifecyclePolicy(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        String[] removed = new String[1];
        repositories.update(name, r -> {
            if (r.lifecyclePolicyText() == null) {
                throw notFound(name);
            }
            removed[0] = r.lifecyclePolicyText();
            return r.withLifecyclePolicy(null, null);
        });
        return withEvaluated(base(name).put("lifecyclePolicyText", removed[0]), name);
    }

    public ObjectNode startLifecyclePolicyPreview(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        Repository r = repositories.require(name);
        String text = text(in, "lifecyclePolicyText");
        if (text == null) {
            text = r.lifecyclePolicyText();
        }
        if (text == null) {
            throw notFound(name);
        }
        previews.start(name, text);
        return base(name).put("lifecyclePolicyText", text).put("status", "IN_PROGRESS");
    }

    public ObjectNode getLifecyclePolicyPreview(RequestContext ctx, ObjectNode in) {
        repositoryOps.checkRegistry(in);
        String name = in.get("repositoryName").asText();
        repositories.require(name);
        LifecyclePreviews.Preview preview = previews.find(name).orElseThrow(() -> new RegistryException(
                RegistryError.LIFECYCLE_POLICY_PREVIEW_NOT_FOUND, "There is no dry run for this repository with name '"
                + name + "' in the registry with id '" + repositories.registryId() + "'"));
        List<LifecyclePreviews.Result> results = new ArrayList<>(preview.results());
        JsonNode ids = in.get("imageIds");
        if (ids != null && !ids.isNull()) {
            List<String> digests = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            ids.forEach(id -> {
                if (id.hasNonNull("imageDigest")) {
                    digests.add(id.get("imageDigest").asText());
                }
                if (id.hasNonNull("imageTag")) {
                    tags.add(id.get("imageTag").asText());
                }
            });
            results.removeIf(res -> !digests.contains(res.digest().toString())
                    && res.tags().stream().noneMatch(tags::contains));
        }
        String tagStatus = in.path("filter").path("tagStatus").asText("ANY");
        if (tagStatus.equals("TAGGED")) {
            results.removeIf(res -> res.tags().isEmpty());
        } else if (tagStatus.equals("UNTAGGED")) {
            results.removeIf(res -> !res.tags().isEmpty());
        }
        int max = in.hasNonNull("maxResults") ? in.get("maxResults").asInt() : 100;
        String listing = "preview/" + name + "/" + preview.startedAt().toEpochMilli();
        String after = PageToken.after(listing, text(in, "nextToken"));
        int from = 0;
        if (after != null) {
            from = Integer.parseInt(after);
        }
        ObjectNode out = base(name).put("lifecyclePolicyText", preview.policyText()).put("status", "COMPLETE");
        ArrayNode list = out.putArray("previewResults");
        for (int i = from; i < Math.min(results.size(), from + max); i++) {
            LifecyclePreviews.Result res = results.get(i);
            ObjectNode n = list.addObject();
            if (!res.tags().isEmpty()) {
                ArrayNode t = n.putArray("imageTags");
                res.tags().forEach(t::add);
            }
            n.put("imageDigest", res.digest().toString());
            n.set("imagePushedAt", RegistryJson.timestamp(res.pushedAt()));
            n.putObject("action").put("type", "EXPIRE");
            n.put("appliedRulePriority", res.rulePriority());
        }
        if (from + max < results.size()) {
            out.put("nextToken", PageToken.of(listing, String.valueOf(from + max)));
        }
        out.putObject("summary").put("expiringImageTotalCount", preview.results().size());
        return out;
    }

    private ObjectNode base(String name) {
        return RegistryJson.object().put("registryId", repositories.registryId()).put("repositoryName", name);
    }

    private ObjectNode withEvaluated(ObjectNode out, String name) {
        enforcer.lastEvaluatedAt(name).ifPresent(t -> out.set("lastEvaluatedAt", RegistryJson.timestamp(t)));
        return out;
    }

    private RegistryException notFound(String name) {
        return new RegistryException(RegistryError.LIFECYCLE_POLICY_NOT_FOUND, "Lifecycle policy does not exist for "
                + "the repository with name '" + name + "' in the registry with id '" + repositories.registryId() + "'");
    }
}
