package io.berth.registry.ecr;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.registry.OciClient;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.image.MediaTypes;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ECR API over the AWS JSON protocol (signed requests, raw JSON), operation by operation. */
class EcrApiTest extends EcrApiSupport {
    // ---- repositories ----

    @Test
    void repositoriesAreCreatedDescribedAndDeleted() throws Exception {
        JsonNode created = ok("CreateRepository", "{\"repositoryName\":\"ecr/created\",\"imageTagMutability\":"
                + "\"IMMUTABLE\",\"imageScanningConfiguration\":{\"scanOnPush\":true},\"tags\":[{\"Key\":\"team\","
                + "\"Value\":\"web\"}]}").get("repository");
        assertThat(created.get("repositoryArn").asText()).isEqualTo("arn:aws:ecr:us-east-1:000000000000:repository/ecr/created");
        assertThat(created.get("registryId").asText()).isEqualTo("000000000000");
        assertThat(created.get("repositoryUri").asText()).isEqualTo(server.host() + "/ecr/created");
        assertThat(created.get("imageTagMutability").asText()).isEqualTo("IMMUTABLE");
        assertThat(created.at("/imageScanningConfiguration/scanOnPush").asBoolean()).isTrue();
        assertThat(created.at("/encryptionConfiguration/encryptionType").asText()).isEqualTo("AES256");
        assertThat(created.get("createdAt").isNumber()).isTrue();

        JsonNode described = ok("DescribeRepositories", "{\"repositoryNames\":[\"ecr/created\"]}");
        assertThat(described.get("repositories").get(0)).isEqualTo(created);
        JsonNode tags = ok("ListTagsForResource", "{\"resourceArn\":\"" + created.get("repositoryArn").asText() + "\"}");
        assertThat(tags.get("tags").toString()).isEqualTo("[{\"Key\":\"team\",\"Value\":\"web\"}]");

        assertThat(ok("DeleteRepository", "{\"repositoryName\":\"ecr/created\"}").at("/repository/repositoryName")
                .asText()).isEqualTo("ecr/created");
        assertError(server.ecr("DescribeRepositories", "{\"repositoryNames\":[\"ecr/created\"]}"),
                RegistryError.REPOSITORY_NOT_FOUND,
                "The repository with name 'ecr/created' does not exist in the registry with id '000000000000'");
    }

    @Test
    void aNameIsTakenOnce() throws Exception {
        String repo = newRepo();
        assertError(server.ecr("CreateRepository", "{\"repositoryName\":\"" + repo + "\"}"),
                RegistryError.REPOSITORY_ALREADY_EXISTS, "The repository with name '" + repo
                        + "' already exists in the registry with id '000000000000'");
    }

    @Test
    void namesMustFollowTheRules() throws Exception {
        HttpResponse<String> r = server.ecr("CreateRepository", "{\"repositoryName\":\"Upper/Case\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("ValidationException").contains("repositoryName");
    }

    @Test
    void repositoriesArePagedInNameOrder() throws Exception {
        for (String n : List.of("page/c", "page/a", "page/b")) {
            ok("CreateRepository", "{\"repositoryName\":\"" + n + "\"}");
        }
        List<String> seen = new java.util.ArrayList<>();
        String token = null;
        do {
            JsonNode page = ok("DescribeRepositories", "{\"maxResults\":2" + (token == null ? "" : ",\"nextToken\":\""
                    + token + "\"") + "}");
            assertThat(page.get("repositories").size()).isLessThanOrEqualTo(2);
            page.get("repositories").forEach(r -> seen.add(r.get("repositoryName").asText()));
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        assertThat(seen).isSorted().contains("page/a", "page/b", "page/c").doesNotHaveDuplicates();
        assertThat(server.ecr("DescribeRepositories", "{\"nextToken\":\"garbage\"}").body())
                .contains("InvalidParameterException");
    }

    @Test
    void aRepositoryWithImagesIsDeletedOnlyByForce() throws Exception {
        String repo = newRepo();
        putImage(repo, manifestWith(repo, 1), "v1");
        assertError(server.ecr("DeleteRepository", "{\"repositoryName\":\"" + repo + "\"}"),
                RegistryError.REPOSITORY_NOT_EMPTY, "cannot be deleted because it still contains images");
        ok("DeleteRepository", "{\"repositoryName\":\"" + repo + "\",\"force\":true}");
        ok("CreateRepository", "{\"repositoryName\":\"" + repo + "\"}");
        assertThat(ok("ListImages", "{\"repositoryName\":\"" + repo + "\"}").get("imageIds")).isEmpty();
        assertThat(oci.get("/v2/" + repo + "/manifests/v1").status()).isEqualTo(404);
    }

    // ---- images through the ECR API ----

    @Test
    void anImagePushedThroughTheEcrApiIsPulledThroughBothApis() throws Exception {
        String repo = newRepo();
        String manifest = manifestWith(repo, 2);
        String digest = Digest.sha256(bytes(manifest)).toString();
        JsonNode put = putImage(repo, manifest, "v1").get("image");
        assertThat(put.at("/imageId/imageDigest").asText()).isEqualTo(digest);
        assertThat(put.at("/imageId/imageTag").asText()).isEqualTo("v1");
        assertThat(put.get("imageManifestMediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);

        JsonNode got = ok("BatchGetImage", "{\"repositoryName\":\"" + repo + "\",\"imageIds\":[{\"imageTag\":\"v1\"},"
                + "{\"imageTag\":\"nope\"},{\"imageDigest\":\"" + digest + "\",\"imageTag\":\"other\"},{}]}");
        assertThat(got.get("images")).hasSize(1);
        assertThat(got.at("/images/0/imageManifest").asText()).isEqualTo(manifest);
        assertThat(got.get("failures").findValuesAsText("failureCode"))
                .containsExactly("ImageNotFound", "ImageNotFound", "MissingDigestAndTag");

        assertThat(oci.get("/v2/" + repo + "/manifests/v1").text()).isEqualTo(manifest);

        JsonNode details = ok("DescribeImages", "{\"repositoryName\":\"" + repo + "\"}").get("imageDetails");
        assertThat(details).hasSize(1);
        JsonNode d = details.get(0);
        assertThat(d.get("imageDigest").asText()).isEqualTo(digest);
        assertThat(d.get("imageTags").toString()).isEqualTo("[\"v1\"]");
        assertThat(d.get("imageSizeInBytes").asLong()).isEqualTo(3000 + bytes("{\"os\":\"linux\",\"seed\":2}").length);
        assertThat(d.get("imageManifestMediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(d.get("artifactMediaType").asText()).isEqualTo("application/vnd.docker.container.image.v1+json");
        assertThat(d.get("lastRecordedPullTime").isNumber()).isTrue();
    }

    @Test
    void putImageRefusesWhatEcrRefuses() throws Exception {
        String repo = newRepo();
        String manifest = manifestWith(repo, 3);
        putImage(repo, manifest, "v1");
        assertError(server.ecr("PutImage", "{\"repositoryName\":\"" + repo + "\",\"imageManifest\":" + quote(manifest)
                + ",\"imageTag\":\"v1\"}"), RegistryError.IMAGE_ALREADY_EXISTS, "already exists");
        assertError(server.ecr("PutImage", "{\"repositoryName\":\"" + repo + "\",\"imageManifest\":" + quote(manifest)
                + ",\"imageDigest\":\"" + Digest.sha256(bytes("x")) + "\"}"),
                RegistryError.IMAGE_DIGEST_DOES_NOT_MATCH, "does not match");
        String missing = TestManifests.image(MediaTypes.OCI_MANIFEST, bytes("{}"), List.of(bytes("absent")));
        assertError(server.ecr("PutImage", "{\"repositoryName\":\"" + repo + "\",\"imageManifest\":" + quote(missing)
                + "}"), RegistryError.LAYERS_NOT_FOUND, "required for pushing image into repository");
        assertError(server.ecr("PutImage", "{\"repositoryName\":\"ecr/missing\",\"imageManifest\":\"{}\"}"),
                RegistryError.REPOSITORY_NOT_FOUND, "does not exist");

        ok("PutImageTagMutability", "{\"repositoryName\":\"" + repo + "\",\"imageTagMutability\":\"IMMUTABLE\"}");
        assertError(server.ecr("PutImage", "{\"repositoryName\":\"" + repo + "\",\"imageManifest\":"
                + quote(manifestWith(repo, 4)) + ",\"imageTag\":\"v1\"}"), RegistryError.IMAGE_TAG_ALREADY_EXISTS,
                "cannot be overwritten because the repository is immutable");
        // another tag on the same image is fine
        putImage(repo, manifest, "v1-alias");
    }

    @Test
    void tagExclusionsOfImmutabilityApply() throws Exception {
        String repo = newRepo();
        JsonNode set = ok("PutImageTagMutability", "{\"repositoryName\":\"" + repo + "\",\"imageTagMutability\":"
                + "\"IMMUTABLE_WITH_EXCLUSION\",\"imageTagMutabilityExclusionFilters\":[{\"filterType\":\"WILDCARD\","
                + "\"filter\":\"latest*\"}]}");
        assertThat(set.get("imageTagMutability").asText()).isEqualTo("IMMUTABLE_WITH_EXCLUSION");
        putImage(repo, manifestWith(repo, 5), "latest");
        putImage(repo, manifestWith(repo, 6), "latest");
        putImage(repo, manifestWith(repo, 5), "v1");
        assertThat(server.ecr("PutImage", "{\"repositoryName\":\"" + repo + "\",\"imageManifest\":"
                + quote(manifestWith(repo, 7)) + ",\"imageTag\":\"v1\"}").statusCode()).isEqualTo(400);
        assertThat(server.ecr("PutImageTagMutability", "{\"repositoryName\":\"" + repo + "\",\"imageTagMutability\":"
                + "\"IMMUTABLE_WITH_EXCLUSION\"}").body()).contains("InvalidParameterException");
    }

    @Test
    void describeAndListImagesFilterByTagStatusAndPage() throws Exception {
        String repo = newRepo();
        putImage(repo, manifestWith(repo, 10), "a");
        putImage(repo, manifestWith(repo, 11), "b");
        String untagged = manifestWith(repo, 12);
        putImage(repo, untagged, null);
        putImage(repo, manifestWith(repo, 10), "c");
        String base = "{\"repositoryName\":\"" + repo + "\"";
        assertThat(ok("DescribeImages", base + ",\"filter\":{\"tagStatus\":\"TAGGED\"}}").get("imageDetails")).hasSize(2);
        JsonNode u = ok("DescribeImages", base + ",\"filter\":{\"tagStatus\":\"UNTAGGED\"}}").get("imageDetails");
        assertThat(u).hasSize(1);
        assertThat(u.get(0).get("imageDigest").asText()).isEqualTo(Digest.sha256(bytes(untagged)).toString());
        assertThat(u.get(0).has("imageTags")).isFalse();

        JsonNode ids = ok("ListImages", base + "}").get("imageIds");
        assertThat(ids).hasSize(4);
        assertThat(ids.findValuesAsText("imageTag")).containsExactlyInAnyOrder("a", "b", "c");

        List<String> digests = new java.util.ArrayList<>();
        String token = null;
        do {
            JsonNode page = ok("DescribeImages", base + ",\"maxResults\":1" + (token == null ? "" : ",\"nextToken\":\""
                    + token + "\"") + "}");
            page.get("imageDetails").forEach(i -> digests.add(i.get("imageDigest").asText()));
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        assertThat(digests).hasSize(3).doesNotHaveDuplicates();

        assertError(server.ecr("DescribeImages", base + ",\"imageIds\":[{\"imageTag\":\"zzz\"}]}"),
                RegistryError.IMAGE_NOT_FOUND, "The image with imageId {imageTag=zzz} does not exist within the "
                        + "repository with name '" + repo + "'");
    }

    @Test
    void batchDeleteImageUntagsOrDeletesAsEcrDoes() throws Exception {
        String repo = newRepo();
        String manifest = manifestWith(repo, 20);
        String digest = Digest.sha256(bytes(manifest)).toString();
        putImage(repo, manifest, "one");
        putImage(repo, manifest, "two");
        String base = "{\"repositoryName\":\"" + repo + "\"";
        JsonNode first = ok("BatchDeleteImage", base + ",\"imageIds\":[{\"imageTag\":\"one\"}]}");
        assertThat(first.at("/imageIds/0/imageTag").asText()).isEqualTo("one");
        assertThat(ok("DescribeImages", base + "}").at("/imageDetails/0/imageTags").toString()).isEqualTo("[\"two\"]");
        ok("BatchDeleteImage", base + ",\"imageIds\":[{\"imageTag\":\"two\"}]}");
        assertThat(ok("DescribeImages", base + "}").get("imageDetails")).isEmpty();

        putImage(repo, manifest, "three");
        JsonNode byDigest = ok("BatchDeleteImage", base + ",\"imageIds\":[{\"imageDigest\":\"" + digest
                + "\"},{\"imageTag\":\"gone\"}]}");
        assertThat(byDigest.at("/imageIds/0/imageDigest").asText()).isEqualTo(digest);
        assertThat(byDigest.at("/failures/0/failureCode").asText()).isEqualTo("ImageNotFound");
    }

    // ---- layers ----

    @Test
    void layerUploadsRefuseWhatEcrRefuses() throws Exception {
        String repo = newRepo();
        String base = "{\"repositoryName\":\"" + repo + "\"";
        String uploadId = ok("InitiateLayerUpload", base + "}").get("uploadId").asText();
        assertThat(ok("InitiateLayerUpload", base + "}").get("partSize").asLong()).isPositive();
        String part = Base64.getEncoder().encodeToString(bytes("0123456789"));
        assertError(server.ecr("CompleteLayerUpload", base + ",\"uploadId\":\"" + uploadId + "\",\"layerDigests\":[\""
                + Digest.sha256(bytes("x")) + "\"]}"), RegistryError.EMPTY_UPLOAD, "has not received any layer parts");
        assertError(server.ecr("UploadLayerPart", base + ",\"uploadId\":\"" + uploadId + "\",\"partFirstByte\":5,"
                + "\"partLastByte\":14,\"layerPartBlob\":\"" + part + "\"}"), RegistryError.UPLOAD_OUT_OF_ORDER,
                "is not valid for the upload");
        ok("UploadLayerPart", base + ",\"uploadId\":\"" + uploadId + "\",\"partFirstByte\":0,\"partLastByte\":9,"
                + "\"layerPartBlob\":\"" + part + "\"}");
        assertError(server.ecr("CompleteLayerUpload", base + ",\"uploadId\":\"" + uploadId + "\",\"layerDigests\":[\""
                + Digest.sha256(bytes("x")) + "\"]}"), RegistryError.LAYER_DIGEST_MISMATCH, "did not match");
        assertError(server.ecr("UploadLayerPart", base + ",\"uploadId\":\"" + uploadId + "\",\"partFirstByte\":10,"
                + "\"partLastByte\":19,\"layerPartBlob\":\"" + part + "\"}"), RegistryError.UPLOAD_NOT_FOUND,
                uploadId);

        String digest = uploadLayer(repo, bytes("0123456789"), 4);
        String again = ok("InitiateLayerUpload", base + "}").get("uploadId").asText();
        ok("UploadLayerPart", base + ",\"uploadId\":\"" + again + "\",\"partFirstByte\":0,\"partLastByte\":9,"
                + "\"layerPartBlob\":\"" + part + "\"}");
        assertError(server.ecr("CompleteLayerUpload", base + ",\"uploadId\":\"" + again + "\",\"layerDigests\":[\""
                + digest + "\"]}"), RegistryError.LAYER_ALREADY_EXISTS, "already exists in the repository");

        JsonNode check = ok("BatchCheckLayerAvailability", base + ",\"layerDigests\":[\"" + digest + "\",\""
                + Digest.sha256(bytes("absent")) + "\",\"bogus\"]}");
        assertThat(check.at("/layers/0/layerAvailability").asText()).isEqualTo("AVAILABLE");
        assertThat(check.at("/layers/0/layerSize").asLong()).isEqualTo(10);
        assertThat(check.get("failures").findValuesAsText("failureCode"))
                .containsExactly("MissingLayerDigest", "InvalidLayerDigest");
    }

    @Test
    void downloadUrlsServeTheirLayerWithoutCredentials() throws Exception {
        String repo = newRepo();
        byte[] content = random(5000, 30);
        String digest = uploadLayer(repo, content, 2000);
        String other = uploadLayer(repo, bytes("other"), 100);
        JsonNode url = ok("GetDownloadUrlForLayer", "{\"repositoryName\":\"" + repo + "\",\"layerDigest\":\""
                + digest + "\"}");
        assertThat(url.get("layerDigest").asText()).isEqualTo(digest);
        String downloadUrl = url.get("downloadUrl").asText();
        assertThat(downloadUrl).startsWith(server.endpoint() + "/v2/" + repo + "/blobs/" + digest + "?");
        OciClient anonymous = oci.anonymous();
        assertThat(anonymous.get(downloadUrl).body()).isEqualTo(content);
        assertThat(anonymous.get(downloadUrl.replace(digest, other)).status()).isEqualTo(401);
        assertError(server.ecr("GetDownloadUrlForLayer", "{\"repositoryName\":\"" + repo + "\",\"layerDigest\":\""
                + Digest.sha256(bytes("absent")) + "\"}"), RegistryError.BLOB_NOT_FOUND, "does not exist");
    }

    // ---- tags, policies, registry, auth ----

    @Test
    void resourceTagsFollowTheRules() throws Exception {
        String repo = newRepo();
        String arn = "arn:aws:ecr:us-east-1:000000000000:repository/" + repo;
        ok("TagResource", "{\"resourceArn\":\"" + arn + "\",\"tags\":[{\"Key\":\"a\",\"Value\":\"1\"},{\"Key\":\"b\","
                + "\"Value\":\"2\"}]}");
        ok("UntagResource", "{\"resourceArn\":\"" + arn + "\",\"tagKeys\":[\"a\"]}");
        assertThat(ok("ListTagsForResource", "{\"resourceArn\":\"" + arn + "\"}").get("tags").toString())
                .isEqualTo("[{\"Key\":\"b\",\"Value\":\"2\"}]");
        assertError(server.ecr("TagResource", "{\"resourceArn\":\"" + arn + "\",\"tags\":[{\"Key\":\"aws:x\","
                + "\"Value\":\"1\"}]}"), RegistryError.INVALID_TAG_PARAMETER, "aws:");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("{\"Key\":\"k").append(i).append("\",\"Value\":\"v\"}");
        }
        assertError(server.ecr("TagResource", "{\"resourceArn\":\"" + arn + "\",\"tags\":[" + many + "]}"),
                RegistryError.TOO_MANY_TAGS, "at most 50");
        assertError(server.ecr("ListTagsForResource", "{\"resourceArn\":\"not-an-arn\"}"),
                RegistryError.INVALID_PARAMETER, "Invalid ARN");
        assertError(server.ecr("ListTagsForResource", "{\"resourceArn\":\"" + arn + "-gone\"}"),
                RegistryError.REPOSITORY_NOT_FOUND, "does not exist");
    }

    @Test
    void repositoryPoliciesAreSetReadAndDeleted() throws Exception {
        String repo = newRepo();
        String base = "{\"repositoryName\":\"" + repo + "\"";
        assertError(server.ecr("GetRepositoryPolicy", base + "}"), RegistryError.REPOSITORY_POLICY_NOT_FOUND,
                "Repository policy does not exist for the repository with name '" + repo + "'");
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"pull\",\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":[\"ecr:BatchGetImage\"]}]}";
        JsonNode set = ok("SetRepositoryPolicy", base + ",\"policyText\":" + quote(policy) + "}");
        assertThat(set.get("policyText").asText()).isEqualTo(policy);
        assertThat(ok("GetRepositoryPolicy", base + "}").get("policyText").asText()).isEqualTo(policy);
        assertThat(ok("DeleteRepositoryPolicy", base + "}").get("policyText").asText()).isEqualTo(policy);
        assertError(server.ecr("DeleteRepositoryPolicy", base + "}"), RegistryError.REPOSITORY_POLICY_NOT_FOUND,
                "does not exist");
        assertError(server.ecr("SetRepositoryPolicy", base + ",\"policyText\":\"{not json\"}"),
                RegistryError.INVALID_PARAMETER, "Invalid repository policy provided");
    }

    @Test
    void describeRegistryNamesThisRegistry() throws Exception {
        JsonNode r = ok("DescribeRegistry", "{}");
        assertThat(r.get("registryId").asText()).isEqualTo("000000000000");
        assertThat(r.at("/replicationConfiguration/rules")).isEmpty();
    }

    @Test
    void authorizationTokensAreAwsPasswordsForTwelveHours() throws Exception {
        JsonNode data = ok("GetAuthorizationToken", "{}").get("authorizationData").get(0);
        String decoded = new String(Base64.getDecoder().decode(data.get("authorizationToken").asText()),
                StandardCharsets.UTF_8);
        assertThat(decoded).startsWith("AWS:");
        Instant expires = Instant.ofEpochSecond(data.get("expiresAt").asLong());
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofHours(11).plusMinutes(59),
                Duration.ofHours(12));
        assertThat(data.get("proxyEndpoint").asText()).isEqualTo(server.endpoint());
        assertThat(new OciClient(server.endpoint(), decoded.substring(4)).get("/v2/").status()).isEqualTo(200);
    }
}
