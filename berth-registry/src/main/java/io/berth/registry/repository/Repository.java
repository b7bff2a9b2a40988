package io.berth.registry.repository;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A repository of the registry and its settings.
 *
 * @param name the repository name ({@code team/app})
 * @param createdAt when CreateRepository made it
 * @param tagMutability whether tags may move, with {@code mutabilityExclusions} for the _WITH_EXCLUSION kinds
 * @param scanOnPush whether every pushed image is scanned
 * @param encryptionType AES256 or KMS (recorded; blobs are not encrypted at rest by Berth)
 * @param kmsKey the KMS key named at creation, if any
 * @param tags the resource tags
 * @param policyText the repository policy (SetRepositoryPolicy), or null
 * @param lifecyclePolicyText the lifecycle policy, or null
 * @param lifecyclePolicyUpdatedAt when the lifecycle policy was last put
 */
public record Repository(String name, Instant createdAt, TagMutability tagMutability, List<String> mutabilityExclusions,
                         boolean scanOnPush, String encryptionType, String kmsKey, List<ResourceTag> tags,
                         String policyText, String lifecyclePolicyText, Instant lifecyclePolicyUpdatedAt) {
    public Repository {
        Objects.requireNonNull(name);
        Objects.requireNonNull(createdAt);
        tagMutability = tagMutability == null ? TagMutability.MUTABLE : tagMutability;
        mutabilityExclusions = mutabilityExclusions == null ? List.of() : List.copyOf(mutabilityExclusions);
        encryptionType = encryptionType == null ? "AES256" : encryptionType;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public static Repository create(String name, Instant createdAt) {
        return new Repository(name, createdAt, TagMutability.MUTABLE, List.of(), false, "AES256", null, List.of(),
                null, null, null);
    }

    public boolean immutable(String tag) {
        return tagMutability.immutable(tag, mutabilityExclusions);
    }

    public Repository withTagMutability(TagMutability mutability, List<String> exclusions) {
        return new Repository(name, createdAt, mutability, exclusions, scanOnPush, encryptionType, kmsKey, tags,
                policyText, lifecyclePolicyText, lifecyclePolicyUpdatedAt);
    }

    public Repository withScanOnPush(boolean scan) {
        return new Repository(name, createdAt, tagMutability, mutabilityExclusions, scan, encryptionType, kmsKey, tags,
                policyText, lifecyclePolicyText, lifecyclePolicyUpdatedAt);
    }

    public Repository withEncryption(String type, String key) {
        return new Repository(name, createdAt, tagMutability, mutabilityExclusions, scanOnPush, type, key, tags,
                policyText, lifecyclePolicyText, lifecyclePolicyUpdatedAt);
    }

    public Repository withTags(List<ResourceTag> newTags) {
        return new Repository(name, createdAt, tagMutability, mutabilityExclusions, scanOnPush, encryptionType, kmsKey,
                newTags, policyText, lifecyclePolicyText, lifecyclePolicyUpdatedAt);
    }

    public Repository withPolicyText(String policy) {
        return new Repository(name, createdAt, tagMutability, mutabilityExclusions, scanOnPush, encryptionType, kmsKey,
                tags, policy, lifecyclePolicyText, lifecyclePolicyUpdatedAt);
    }

    public Repository withLifecyclePolicy(String policy, Instant updatedAt) {
        return new Repository(name, createdAt, tagMutability, mutabilityExclusions, scanOnPush, encryptionType, kmsKey,
                tags, policyText, policy, updatedAt);
    }
}
