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

/** BatchGetImage's acceptedMediaTypes and PutImage's imageManifestMediaType. */
class EcrMediaTypeApiTest extends EcrApiSupport {
    private static JsonNode get(String repo, String imageId, String... accepted) throws Exception {
        StringBuilder types = new StringBuilder();
        for (String t : accepted) {
            types.append(types.isEmpty() ? "" : ",").append(quote(t));
        }
        JsonNode r = ok("BatchGetImage", "{\"repositoryName\":\"" + repo + "\",\"imageIds\":[" + imageId + "]"
                + (accepted.length == 0 ? "" : ",\"acceptedMediaTypes\":[" + types + "]") + "}");
        assertThat(r.get("failures")).as(r.toString()).isEmpty();
        return r.at("/images/0");
    }

    @Test
    void batchGetImageServesAnIndexAsItsLinuxAmd64ManifestToACallerThatDoesNotTakeIndexes() throws Exception {
        String repo = newRepo();
        String arm64 = manifestWith(repo, 70);
        String amd64 = manifestWith(repo, 71);
        putImage(repo, arm64, null);
        putImage(repo, amd64, null);
        String index = TestManifests.index(MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST, List.of(
                new Object[] {Digest.sha256(bytes(arm64)), bytes(arm64).length, "arm64"},
                new Object[] {Digest.sha256(bytes(amd64)), bytes(amd64).length, "amd64"}));
        String indexDigest = putImage(repo, index, "multi").at("/image/imageId/imageDigest").asText();
        String byTag = "{\"imageTag\":\"multi\"}";

        JsonNode asStored = get(repo, byTag, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
        assertThat(asStored.get("imageManifest").asText()).isEqualTo(index);
        assertThat(asStored.get("imageManifestMediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(get(repo, byTag).get("imageManifest").asText()).isEqualTo(index);

        JsonNode platform = get(repo, byTag, MediaTypes.DOCKER_MANIFEST);
        assertThat(platform.get("imageManifest").asText()).isEqualTo(amd64);
        assertThat(platform.get("imageManifestMediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(platform.at("/imageId/imageDigest").asText()).isEqualTo(Digest.sha256(bytes(amd64)).toString());
        assertThat(platform.at("/imageId/imageTag").asText()).isEqualTo("multi");

        // by digest nothing is converted; nor when the child's type is not accepted either
        assertThat(get(repo, "{\"imageDigest\":\"" + indexDigest + "\"}", MediaTypes.DOCKER_MANIFEST)
                .get("imageManifest").asText()).isEqualTo(index);
        assertThat(get(repo, byTag, MediaTypes.OCI_MANIFEST).get("imageManifestMediaType").asText())
                .isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    }

    @Test
    void batchGetImageAnswersAManifestOutsideTheAcceptedTypesAsStoredNotAsAFailure() throws Exception {
        String repo = newRepo();
        String manifest = manifestWith(repo, 72);
        putImage(repo, manifest, "docker");
        JsonNode image = get(repo, "{\"imageTag\":\"docker\"}", MediaTypes.OCI_MANIFEST);
        assertThat(image.get("imageManifest").asText()).isEqualTo(manifest);
        assertThat(image.get("imageManifestMediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void putImageTakesTheMediaTypeOfAManifestWithoutOneFromImageManifestMediaType() throws Exception {
        String repo = newRepo();
        String base = "{\"repositoryName\":\"" + repo + "\"";
        String docker = manifestWith(repo, 73);
        String untyped = docker.replace("\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",", "");
        assertThat(untyped).isNotEqualTo(docker);
        JsonNode put = ok("PutImage", base + ",\"imageTag\":\"untyped\",\"imageManifest\":" + quote(untyped)
                + ",\"imageManifestMediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\"}");
        assertThat(put.at("/image/imageManifestMediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        JsonNode got = get(repo, "{\"imageTag\":\"untyped\"}");
        assertThat(got.get("imageManifest").asText()).isEqualTo(untyped);
        assertThat(got.get("imageManifestMediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);

        assertError(server.ecr("PutImage", base + ",\"imageTag\":\"mismatch\",\"imageManifest\":" + quote(docker)
                        + ",\"imageManifestMediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}"),
                RegistryError.MANIFEST_INVALID, "does not match");
        assertThat(ok("BatchGetImage", base + ",\"imageIds\":[{\"imageTag\":\"mismatch\"}]}")
                .at("/failures/0/failureCode").asText()).isEqualTo("ImageNotFound");
    }

    /**
     * ECR wants the type from the manifest or the request; with neither it refuses, whatever the
     * manifest's shape (aws/aws-cli#8620: a Helm chart's OCI manifest without mediaType is
     * "Invalid JSON syntax" until --image-manifest-media-type is given).
     */
    @Test
    void putImageRefusesAManifestWhoseTypeNeitherItNorTheRequestGives() throws Exception {
        String repo = newRepo();
        String base = "{\"repositoryName\":\"" + repo + "\"";
        String docker = manifestWith(repo, 75);
        String untyped = docker.replace("\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",", "");
        String untypedIndex = TestManifests.index(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST, List.<Object[]>of(
                new Object[] {Digest.sha256(bytes(docker)), bytes(docker).length, "amd64"}))
                .replace("\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",", "");
        for (String manifest : List.of(untyped, untypedIndex)) {
            assertError(server.ecr("PutImage", base + ",\"imageTag\":\"untyped\",\"imageManifest\":"
                            + quote(manifest) + "}"), RegistryError.MANIFEST_INVALID,
                    "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
        }
        assertThat(ok("BatchGetImage", base + ",\"imageIds\":[{\"imageTag\":\"untyped\"}]}")
                .at("/failures/0/failureCode").asText()).isEqualTo("ImageNotFound");
        assertThat(ok("DescribeImages", base + "}").get("imageDetails")).isEmpty();

        JsonNode put = ok("PutImage", base + ",\"imageTag\":\"typed\",\"imageManifest\":" + quote(untyped)
                + ",\"imageManifestMediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}");
        assertThat(put.at("/image/imageManifestMediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
    }

    @Test
    void batchCheckLayerAvailabilityGivesTheMediaTypeOnceAManifestGivesIt() throws Exception {
        String repo = newRepo();
        String manifest = manifestWith(repo, 74);
        JsonNode parsed = io.berth.registry.RegistryJson.MAPPER.readTree(manifest);
        String config = parsed.at("/config/digest").asText();
        String layer = parsed.at("/layers/0/digest").asText();
        String check = "{\"repositoryName\":\"" + repo + "\",\"layerDigests\":[\"" + config + "\",\"" + layer + "\"]}";
        JsonNode before = ok("BatchCheckLayerAvailability", check);
        assertThat(before.get("layers")).hasSize(2).allSatisfy(l -> assertThat(l.has("mediaType")).isFalse());

        putImage(repo, manifest, "typed");
        JsonNode after = ok("BatchCheckLayerAvailability", check);
        assertThat(after.at("/layers/0/layerDigest").asText()).isEqualTo(config);
        assertThat(after.at("/layers/0/mediaType").asText()).isEqualTo("application/vnd.docker.container.image.v1+json");
        assertThat(after.at("/layers/1/layerDigest").asText()).isEqualTo(layer);
        assertThat(after.at("/layers/1/mediaType").asText())
                .isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
        assertThat(after.at("/layers/1/layerSize").asLong()).isEqualTo(3000);
    }
}
