package io.berth.registry.image;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestParserTest {
    private static final String D = Digest.sha256(bytes("x")).toString();

    @Test
    void imageManifestsNameTheirConfigAndLayers() {
        byte[] config = bytes("{}");
        List<byte[]> layers = List.of(bytes("a"), bytes("bb"));
        for (String type : List.of(MediaTypes.DOCKER_MANIFEST, MediaTypes.OCI_MANIFEST)) {
            Manifest m = ManifestParser.parse(bytes(TestManifests.image(type, config, layers)), type);
            assertThat(m.mediaType()).isEqualTo(type);
            assertThat(m.index()).isFalse();
            assertThat(m.blobs()).extracting(Descriptor::digest).containsExactly(Digest.sha256(config),
                    Digest.sha256(bytes("a")), Digest.sha256(bytes("bb")));
            assertThat(m.contentSize()).isEqualTo(5);
        }
    }

    @Test
    void indexesNameTheirManifestsAndPlatforms() {
        Manifest m = ManifestParser.parse(bytes(TestManifests.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
                List.<Object[]>of(new Object[] {D, 10, "arm64"}))), null);
        assertThat(m.index()).isTrue();
        assertThat(m.manifests()).singleElement().satisfies(d -> {
            assertThat(d.platform().architecture()).isEqualTo("arm64");
            assertThat(d.size()).isEqualTo(10);
        });
    }

    @Test
    void artifactsCarryTheirSubjectTypeAndAnnotations() {
        Manifest m = ManifestParser.parse(bytes(TestManifests.artifact("application/x.sbom", D, 5, "hi")),
                MediaTypes.OCI_MANIFEST);
        assertThat(m.subject().digest().toString()).isEqualTo(D);
        assertThat(m.effectiveArtifactType()).contains("application/x.sbom");
        assertThat(m.annotations()).containsEntry("note", "hi");
    }

    @Test
    void theMediaTypeComesFromTheBodyTheHeaderOrTheShape() {
        String noType = "{\"schemaVersion\":2,\"config\":" + TestManifests.descriptor("application/x", D, 1)
                + ",\"layers\":[]}";
        assertThat(ManifestParser.parse(bytes(noType), null).mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(ManifestParser.parse(bytes(noType), MediaTypes.DOCKER_MANIFEST + "; charset=utf-8").mediaType())
                .isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(ManifestParser.parse(bytes(noType), "application/json").mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(ManifestParser.parse(bytes("{\"schemaVersion\":2,\"manifests\":[]}"), null).mediaType())
                .isEqualTo(MediaTypes.OCI_INDEX);
    }

    static Stream<Arguments> invalid() {
        String desc = TestManifests.descriptor("application/x", D, 1);
        return Stream.of(
                Arguments.of("not json", null, RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}", null, RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":1}", null, RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":\"2\",\"manifests\":[]}", null, RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + desc
                        + "}", MediaTypes.DOCKER_MANIFEST, RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.x\",\"config\":" + desc + "}", null,
                        RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}", null,
                        RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"sha256:12\",\"size\":1}}",
                        null, RegistryError.DIGEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a\",\"digest\":\"" + D + "\",\"size\":-1}}",
                        null, RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"config\":" + desc + ",\"layers\":{}}", null,
                        RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"config\":" + desc + ",\"annotations\":{\"a\":1}}", null,
                        RegistryError.MANIFEST_INVALID),
                Arguments.of("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + D + "\",\"size\":1}]}", null,
                        RegistryError.MANIFEST_INVALID));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void malformedManifestsAreRefused(String body, String declared, RegistryError expected) {
        assertThatThrownBy(() -> ManifestParser.parse(bytes(body), declared))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.error()).isEqualTo(expected));
    }
}
