package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.registry.error.RegistryError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.LayerAvailability;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;
import software.amazon.awssdk.services.ecr.model.TagStatus;

/** The ECR API through the AWS SDK v2 EcrClient: shapes, timestamps, paginators and exceptions. */
class EcrSdkIT {
    private static RegistryFixture registry;
    private static EcrClient ecr;

    @BeforeAll
    static void start() throws Exception {
        registry = new RegistryFixture();
        ecr = registry.ecr();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Uploads a blob through the layer API unless the repository has it; returns its digest. */
    private static String upload(String repo, byte[] content) throws Exception {
        String digest = sha256(content);
        if (ecr.batchCheckLayerAvailability(b -> b.repositoryName(repo).layerDigests(digest)).layers().stream()
                .anyMatch(l -> l.layerAvailability() == LayerAvailability.AVAILABLE)) {
            return digest;
        }
        String uploadId = ecr.initiateLayerUpload(b -> b.repositoryName(repo)).uploadId();
        int part = Math.max(1, content.length / 3);
        for (int at = 0; at < content.length; at += part) {
            int first = at;
            int end = Math.min(content.length, at + part);
            ecr.uploadLayerPart(b -> b.repositoryName(repo).uploadId(uploadId).partFirstByte((long) first)
                    .partLastByte((long) end - 1).layerPartBlob(SdkBytes.fromByteArray(
                            java.util.Arrays.copyOfRange(content, first, end))));
        }
        assertThat(ecr.completeLayerUpload(b -> b.repositoryName(repo).uploadId(uploadId).layerDigests(digest))
                .layerDigest()).isEqualTo(digest);
        return digest;
    }

    private static String image(String repo, long seed) throws Exception {
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[40_000];
        new Random(seed).nextBytes(layer);
        String configDigest = upload(repo, config);
        String layerDigest = upload(repo, layer);
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1"
                + ".tar+gzip\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}";
    }

    @Test
    void repositoriesRoundTripThroughTheSdk() {
        Repository created = ecr.createRepository(b -> b.repositoryName("sdk/app")
                .imageTagMutability(ImageTagMutability.IMMUTABLE)
                .imageScanningConfiguration(s -> s.scanOnPush(true))
                .tags(Tag.builder().key("team").value("web").build())).repository();
        assertThat(created.repositoryUri()).isEqualTo(registry.host() + "/sdk/app");
        assertThat(created.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:000000000000:repository/sdk/app");
        assertThat(created.createdAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(created.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
        assertThat(created.imageScanningConfiguration().scanOnPush()).isTrue();

        assertThatThrownBy(() -> ecr.createRepository(b -> b.repositoryName("sdk/app")))
                .isInstanceOf(RepositoryAlreadyExistsException.class);
        assertThat(ecr.listTagsForResource(b -> b.resourceArn(created.repositoryArn())).tags())
                .containsExactly(Tag.builder().key("team").value("web").build());
        ecr.putImageTagMutability(b -> b.repositoryName("sdk/app").imageTagMutability(ImageTagMutability.MUTABLE));
        assertThat(ecr.describeRepositories(b -> b.repositoryNames("sdk/app")).repositories().get(0)
                .imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
        ecr.deleteRepository(b -> b.repositoryName("sdk/app"));
        assertThatThrownBy(() -> ecr.describeRepositories(b -> b.repositoryNames("sdk/app")))
                .isInstanceOf(RepositoryNotFoundException.class)
                .hasMessageContaining("The repository with name 'sdk/app' does not exist in the registry with id "
                        + "'000000000000'");
    }

    @Test
    void paginatorsWalkEveryRepositoryAndImage() throws Exception {
        for (int i = 0; i < 5; i++) {
            int n = i;
            ecr.createRepository(b -> b.repositoryName("paged/r" + n));
        }
        List<String> names = new ArrayList<>();
        ecr.describeRepositoriesPaginator(b -> b.maxResults(2)).repositories()
                .forEach(r -> names.add(r.repositoryName()));
        assertThat(names).contains("paged/r0", "paged/r1", "paged/r2", "paged/r3", "paged/r4").doesNotHaveDuplicates();

        for (int i = 0; i < 4; i++) {
            String manifest = image("paged/r0", i);
            int n = i;
            ecr.putImage(b -> b.repositoryName("paged/r0").imageManifest(manifest).imageTag("t" + n));
        }
        List<ImageDetail> details = new ArrayList<>();
        ecr.describeImagesPaginator(b -> b.repositoryName("paged/r0").maxResults(1)).imageDetails()
                .forEach(details::add);
        assertThat(details).hasSize(4);
        assertThat(details).allSatisfy(d -> {
            assertThat(d.imagePushedAt()).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(1));
            assertThat(d.imageSizeInBytes()).isGreaterThan(40_000L);
            assertThat(d.imageTags()).hasSize(1);
        });
        List<ImageIdentifier> ids = new ArrayList<>();
        ecr.listImagesPaginator(b -> b.repositoryName("paged/r0").maxResults(3).filter(f -> f.tagStatus(TagStatus.TAGGED)))
                .imageIds().forEach(ids::add);
        assertThat(ids).hasSize(4);
    }

    @Test
    void imagesArePutGotAndDeletedThroughTheSdk() throws Exception {
        ecr.createRepository(b -> b.repositoryName("sdk/images"));
        String manifest = image("sdk/images", 42);
        var put = ecr.putImage(b -> b.repositoryName("sdk/images").imageManifest(manifest).imageTag("v1")).image();
        assertThat(put.imageId().imageDigest()).isEqualTo(sha256(manifest.getBytes(StandardCharsets.UTF_8)));
        var got = ecr.batchGetImage(b -> b.repositoryName("sdk/images")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build()));
        assertThat(got.images()).singleElement().satisfies(i -> {
            assertThat(i.imageManifest()).isEqualTo(manifest);
            assertThat(i.imageManifestMediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        });
        assertThat(ecr.batchDeleteImage(b -> b.repositoryName("sdk/images")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())).imageIds()).hasSize(1);
        assertThat(ecr.listImages(b -> b.repositoryName("sdk/images")).imageIds()).isEmpty();
    }

    @Test
    void errorsArriveAsTheSdksExceptions() throws Exception {
        ecr.createRepository(b -> b.repositoryName("sdk/errors"));
        String manifest = image("sdk/errors", 7);
        ecr.putImage(b -> b.repositoryName("sdk/errors").imageManifest(manifest).imageTag("v1"));
        assertErrorCode(() -> ecr.putImage(b -> b.repositoryName("sdk/errors").imageManifest(manifest).imageTag("v1")),
                RegistryError.IMAGE_ALREADY_EXISTS);
        assertErrorCode(() -> ecr.deleteRepository(b -> b.repositoryName("sdk/errors")),
                RegistryError.REPOSITORY_NOT_EMPTY);
        assertErrorCode(() -> ecr.getRepositoryPolicy(b -> b.repositoryName("sdk/errors")),
                RegistryError.REPOSITORY_POLICY_NOT_FOUND);
        assertErrorCode(() -> ecr.describeImages(b -> b.repositoryName("sdk/errors")
                .imageIds(ImageIdentifier.builder().imageTag("nope").build())), RegistryError.IMAGE_NOT_FOUND);
        assertThatThrownBy(() -> ecr.listImages(b -> b.repositoryName("sdk/none")))
                .isInstanceOf(RepositoryNotFoundException.class);
    }

    /**
     * The SDK's error code is ECR's exception shape once core names the condition; until then the
     * generic shape it travels as (see docs/adr/0005-registry.md).
     */
    private static void assertErrorCode(Runnable call, RegistryError error) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcrException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            if (error.exact()) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(io.berth.registry.ecr.EcrErrors.shape(error));
            }
        });
    }

    @Test
    void authorizationTokensLastTwelveHoursAndUnlockTheRegistry() {
        var data = ecr.getAuthorizationToken().authorizationData().get(0);
        String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
        assertThat(decoded).startsWith("AWS:");
        assertThat(Duration.between(Instant.now(), data.expiresAt())).isBetween(Duration.ofHours(11), Duration.ofHours(12));
        assertThat(data.proxyEndpoint()).isEqualTo(registry.endpoint());
        assertThat(ecr.describeRegistry(b -> { }).registryId()).isEqualTo("000000000000");
    }

    @Test
    void downloadUrlsFetchTheLayer() throws Exception {
        ecr.createRepository(b -> b.repositoryName("sdk/download"));
        byte[] layer = "layer bytes for a download url".getBytes(StandardCharsets.UTF_8);
        String digest = upload("sdk/download", layer);
        String url = ecr.getDownloadUrlForLayer(b -> b.repositoryName("sdk/download").layerDigest(digest)).downloadUrl();
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(layer);
    }

    @Test
    void lifecyclePoliciesAreEnforcedInTheBackground() throws Exception {
        ecr.createRepository(b -> b.repositoryName("sdk/lifecycle"));
        for (int i = 0; i < 3; i++) {
            String manifest = image("sdk/lifecycle", 100 + i);
            int n = i;
            ecr.putImage(b -> b.repositoryName("sdk/lifecycle").imageManifest(manifest).imageTag("build-" + n));
            Thread.sleep(5);
        }
        String untagged = image("sdk/lifecycle", 200);
        ecr.putImage(b -> b.repositoryName("sdk/lifecycle").imageManifest(untagged));
        String policy = "{\"rules\":["
                + "{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\","
                + "\"countUnit\":\"days\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}},"
                + "{\"rulePriority\":2,\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"build-\"],"
                + "\"countType\":\"imageCountMoreThan\",\"countNumber\":2},\"action\":{\"type\":\"expire\"}}]}";
        var preview = ecr.startLifecyclePolicyPreview(b -> b.repositoryName("sdk/lifecycle").lifecyclePolicyText(policy));
        assertThat(preview.statusAsString()).isEqualTo("IN_PROGRESS");
        var result = ecr.getLifecyclePolicyPreview(b -> b.repositoryName("sdk/lifecycle"));
        assertThat(result.previewResults()).singleElement()
                .satisfies(r -> assertThat(r.imageTags()).containsExactly("build-0"));
        assertThat(result.summary().expiringImageTotalCount()).isEqualTo(1);

        ecr.putLifecyclePolicy(b -> b.repositoryName("sdk/lifecycle").lifecyclePolicyText(policy));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> ecr.listImages(b -> b.repositoryName("sdk/lifecycle")).imageIds().size() == 3);
        assertThat(ecr.listImages(b -> b.repositoryName("sdk/lifecycle")).imageIds())
                .extracting(ImageIdentifier::imageTag).containsExactlyInAnyOrder("build-1", "build-2", null);
        assertThat(ecr.getLifecyclePolicy(b -> b.repositoryName("sdk/lifecycle")).lastEvaluatedAt()).isNotNull();
    }
}
