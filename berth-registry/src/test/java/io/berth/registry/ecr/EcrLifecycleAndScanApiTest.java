package io.berth.registry.ecr;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.image.MediaTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lifecycle policies and image scanning through the ECR API. */
class EcrLifecycleAndScanApiTest extends EcrApiSupport {
    // ---- lifecycle policies ----

    private static final String KEEP_ONE = "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep one\","
            + "\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},"
            + "\"action\":{\"type\":\"expire\"}}]}";

    @Test
    void lifecyclePoliciesArePutReadPreviewedAndDeleted() throws Exception {
        String repo = newRepo();
        String base = "{\"repositoryName\":\"" + repo + "\"";
        assertError(server.ecr("GetLifecyclePolicy", base + "}"), RegistryError.LIFECYCLE_POLICY_NOT_FOUND,
                "Lifecycle policy does not exist for the repository with name '" + repo + "'");
        assertError(server.ecr("GetLifecyclePolicyPreview", base + "}"),
                RegistryError.LIFECYCLE_POLICY_PREVIEW_NOT_FOUND, "There is no dry run for this repository");
        assertError(server.ecr("StartLifecyclePolicyPreview", base + "}"), RegistryError.LIFECYCLE_POLICY_NOT_FOUND,
                "Lifecycle policy does not exist");
        putImage(repo, manifestWith(repo, 40), "old");
        Thread.sleep(5);
        putImage(repo, manifestWith(repo, 41), "new");

        JsonNode put = ok("PutLifecyclePolicy", base + ",\"lifecyclePolicyText\":" + quote(KEEP_ONE) + "}");
        assertThat(put.get("lifecyclePolicyText").asText()).isEqualTo(KEEP_ONE);
        assertThat(ok("GetLifecyclePolicy", base + "}").get("lifecyclePolicyText").asText()).isEqualTo(KEEP_ONE);

        JsonNode started = ok("StartLifecyclePolicyPreview", base + "}");
        assertThat(started.get("status").asText()).isEqualTo("IN_PROGRESS");
        JsonNode preview = ok("GetLifecyclePolicyPreview", base + "}");
        assertThat(preview.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(preview.at("/summary/expiringImageTotalCount").asInt()).isEqualTo(1);
        assertThat(preview.at("/previewResults/0/imageTags/0").asText()).isEqualTo("old");
        assertThat(preview.at("/previewResults/0/action/type").asText()).isEqualTo("EXPIRE");
        assertThat(preview.at("/previewResults/0/appliedRulePriority").asInt()).isEqualTo(1);
        assertThat(ok("GetLifecyclePolicyPreview", base + ",\"filter\":{\"tagStatus\":\"UNTAGGED\"}}")
                .get("previewResults")).isEmpty();
        // a preview changes nothing
        assertThat(ok("ListImages", base + "}").get("imageIds")).hasSize(2);

        assertThat(ok("DeleteLifecyclePolicy", base + "}").get("lifecyclePolicyText").asText()).isEqualTo(KEEP_ONE);
        assertError(server.ecr("DeleteLifecyclePolicy", base + "}"), RegistryError.LIFECYCLE_POLICY_NOT_FOUND,
                "does not exist");
    }

    @Test
    void invalidLifecyclePoliciesAreRefused() throws Exception {
        String repo = newRepo();
        String text = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"countType\":"
                + "\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";
        assertError(server.ecr("PutLifecyclePolicy", "{\"repositoryName\":\"" + repo + "\",\"lifecyclePolicyText\":"
                + quote(text) + "}"), RegistryError.INVALID_PARAMETER, "Lifecycle policy validation failure: "
                + "tagPrefixList or tagPatternList is required when tagStatus is tagged");
    }

    // ---- scanning ----

    /** Pushes a Debian-like image whose dpkg database lists openssl 3.0.9-1 (vulnerable in the test OSV data). */
    private static String pushScannableImage(String repo, String tag) throws Exception {
        byte[] layer = new io.berth.registry.TestTar()
                .file("etc/os-release", io.berth.registry.scan.PackageInventoryTest.DEBIAN_12)
                .file("var/lib/dpkg/status", io.berth.registry.scan.PackageInventoryTest.STATUS).gzip();
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}");
        oci.pushBlob(repo, layer);
        oci.pushBlob(repo, config);
        return oci.pushManifest(repo, tag, TestManifests.image(MediaTypes.DOCKER_MANIFEST, config, List.of(layer)),
                MediaTypes.DOCKER_MANIFEST);
    }

    private static JsonNode awaitScan(String base, String tag) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode r = ok("DescribeImageScanFindings", base + ",\"imageId\":{\"imageTag\":\"" + tag + "\"}}");
            if (!r.at("/imageScanStatus/status").asText().equals("IN_PROGRESS")) {
                return r;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("scan did not finish");
    }

    @Test
    void imagesAreScannedOnRequestAgainstTheOsvData() throws Exception {
        io.berth.registry.scan.OsvDatabaseTest.write(server.osvDir());
        String repo = newRepo();
        String base = "{\"repositoryName\":\"" + repo + "\"";
        pushScannableImage(repo, "v1");
        assertError(server.ecr("DescribeImageScanFindings", base + ",\"imageId\":{\"imageTag\":\"v1\"}}"),
                RegistryError.SCAN_NOT_FOUND, "Image scan does not exist for the image");

        JsonNode started = ok("StartImageScan", base + ",\"imageId\":{\"imageTag\":\"v1\"}}");
        assertThat(started.at("/imageScanStatus/status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(started.at("/imageId/imageTag").asText()).isEqualTo("v1");
        JsonNode result = awaitScan(base, "v1");
        assertThat(result.at("/imageScanStatus/status").asText()).isEqualTo("COMPLETE");
        assertThat(result.at("/imageScanFindings/findingSeverityCounts/HIGH").asInt()).isEqualTo(1);
        JsonNode finding = result.at("/imageScanFindings/findings/0");
        assertThat(finding.get("name").asText()).isEqualTo("CVE-2023-5678");
        assertThat(finding.get("severity").asText()).isEqualTo("HIGH");
        assertThat(finding.get("attributes").toString()).contains("{\"key\":\"package_name\",\"value\":\"libssl3\"}")
                .contains("{\"key\":\"package_version\",\"value\":\"3.0.9-1\"}");

        JsonNode detail = ok("DescribeImages", base + "}").at("/imageDetails/0");
        assertThat(detail.at("/imageScanStatus/status").asText()).isEqualTo("COMPLETE");
        assertThat(detail.at("/imageScanFindingsSummary/findingSeverityCounts/HIGH").asInt()).isEqualTo(1);

        assertError(server.ecr("StartImageScan", base + ",\"imageId\":{\"imageTag\":\"v1\"}}"),
                RegistryError.LIMIT_EXCEEDED, "The scan quota per image has been exceeded");
    }

    @Test
    void repositoriesWithScanOnPushScanEveryNewImage() throws Exception {
        io.berth.registry.scan.OsvDatabaseTest.write(server.osvDir());
        String repo = "ecr/scanned-" + REPOS.incrementAndGet();
        ok("CreateRepository", "{\"repositoryName\":\"" + repo + "\",\"imageScanningConfiguration\":{\"scanOnPush\":true}}");
        String base = "{\"repositoryName\":\"" + repo + "\"";
        pushScannableImage(repo, "auto");
        assertThat(awaitScan(base, "auto").at("/imageScanFindings/findings")).hasSize(1);

        byte[] bare = new io.berth.registry.TestTar().file("bin/tool", new byte[100]).gzip();
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"bare\":true}");
        oci.pushBlob(repo, bare);
        oci.pushBlob(repo, config);
        oci.pushManifest(repo, "no-packages", TestManifests.image(MediaTypes.DOCKER_MANIFEST, config, List.of(bare)),
                MediaTypes.DOCKER_MANIFEST);
        JsonNode unsupported = awaitScan(base, "no-packages");
        assertThat(unsupported.at("/imageScanStatus/status").asText()).isEqualTo("UNSUPPORTED_IMAGE");
        assertThat(unsupported.at("/imageScanStatus/description").asText()).contains("not supported");

        putImage(repo, manifestWith(repo, 50), "garbage-layer");
        assertThat(awaitScan(base, "garbage-layer").at("/imageScanStatus/status").asText()).isEqualTo("FAILED");

        oci.pushBlob(repo, TestManifests.EMPTY_CONFIG);
        String subject = oci.head("/v2/" + repo + "/manifests/auto").header("Docker-Content-Digest");
        String artifact = TestManifests.artifact("application/x.sbom", subject, 10, "s");
        oci.pushManifest(repo, "sbom", artifact, MediaTypes.OCI_MANIFEST);
        assertError(server.ecr("StartImageScan", base + ",\"imageId\":{\"imageTag\":\"sbom\"}}"),
                RegistryError.UNSUPPORTED_IMAGE_TYPE, "not supported for scanning");
    }

    @Test
    void putImageScanningConfigurationTurnsScanOnPushOnAndOff() throws Exception {
        io.berth.registry.scan.OsvDatabaseTest.write(server.osvDir());
        String repo = newRepo();
        String base = "{\"repositoryName\":\"" + repo + "\"";
        String describe = "{\"repositoryNames\":[\"" + repo + "\"]}";
        assertThat(ok("DescribeRepositories", describe).at("/repositories/0/imageScanningConfiguration/scanOnPush")
                .asBoolean()).isFalse();

        JsonNode on = ok("PutImageScanningConfiguration", base
                + ",\"imageScanningConfiguration\":{\"scanOnPush\":true}}");
        assertThat(on.get("registryId").asText()).isEqualTo("000000000000");
        assertThat(on.get("repositoryName").asText()).isEqualTo(repo);
        assertThat(on.at("/imageScanningConfiguration/scanOnPush").asBoolean()).isTrue();
        assertThat(ok("DescribeRepositories", describe).at("/repositories/0/imageScanningConfiguration/scanOnPush")
                .asBoolean()).isTrue();
        pushScannableImage(repo, "scanned");
        assertThat(awaitScan(base, "scanned").at("/imageScanStatus/status").asText()).isEqualTo("COMPLETE");

        JsonNode off = ok("PutImageScanningConfiguration", base
                + ",\"imageScanningConfiguration\":{\"scanOnPush\":false}}");
        assertThat(off.at("/imageScanningConfiguration/scanOnPush").asBoolean()).isFalse();
        assertThat(ok("DescribeRepositories", describe).at("/repositories/0/imageScanningConfiguration/scanOnPush")
                .asBoolean()).isFalse();
        putImage(repo, manifestWith(repo, 60), "not-scanned");
        assertError(server.ecr("DescribeImageScanFindings", base + ",\"imageId\":{\"imageTag\":\"not-scanned\"}}"),
                RegistryError.SCAN_NOT_FOUND, "Image scan does not exist for the image");

        assertError(server.ecr("PutImageScanningConfiguration", "{\"repositoryName\":\"ecr/missing\","
                        + "\"imageScanningConfiguration\":{\"scanOnPush\":true}}"), RegistryError.REPOSITORY_NOT_FOUND,
                "The repository with name 'ecr/missing' does not exist in the registry with id '000000000000'");
    }
}
