package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testkit.images.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code skopeo copy} into and out of the registry (Docker schema 2 and OCI manifests, a copy between
 * two repositories of the registry, delete). Needs no Docker Engine: the source is the test images'
 * {@code docker save} archive. Skipped without skopeo unless {@code berth.requireDocker=true}.
 */
class RegistrySkopeoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RegistryFixture registry;
    private static Path work;
    private static Path archive;
    private static String creds;

    @BeforeAll
    static void start() throws Exception {
        RegistryFixture.require("skopeo");
        registry = new RegistryFixture();
        work = Files.createTempDirectory("berth-registry-skopeo-");
        archive = TestImages.writeArchive(work);
        creds = "AWS:" + registry.password();
        for (String repo : List.of("skopeo/app", "skopeo/copy", "skopeo/oci")) {
            registry.ecr().createRepository(b -> b.repositoryName(repo));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private static RegistryFixture.Run skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        RegistryFixture.Run r = RegistryFixture.run(Map.of("HOME", work.toString()), 300,
                command.toArray(String[]::new));
        assertThat(r.exit()).as(String.join(" ", command) + "\n" + r.output()).isZero();
        return r;
    }

    private static String remote(String repoAndTag) {
        return "docker://" + registry.host() + "/" + repoAndTag;
    }

    private static JsonNode inspect(String repoAndTag, boolean raw) throws Exception {
        List<String> args = new ArrayList<>(List.of("inspect", "--tls-verify=false", "--creds", creds));
        if (raw) {
            args.add("--raw");
        }
        args.add(remote(repoAndTag));
        return JSON.readTree(skopeo(args.toArray(String[]::new)).output());
    }

    @Test
    void anImageCopiedInIsCopiedBackOutUnchanged() throws Exception {
        skopeo("copy", "--dest-tls-verify=false", "--dest-creds", creds,
                "docker-archive:" + archive + ":" + TestImages.BUSYBOX, remote("skopeo/app:v1"));
        JsonNode manifest = inspect("skopeo/app:v1", true);
        assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        String layer = manifest.at("/layers/0/digest").asText();

        Path out = work.resolve("out");
        skopeo("copy", "--src-tls-verify=false", "--src-creds", creds, remote("skopeo/app:v1"), "oci:" + out + ":v1");
        assertThat(out.resolve("blobs/sha256/" + layer.substring("sha256:".length()))).exists();

        JsonNode info = inspect("skopeo/app:v1", false);
        assertThat(info.get("Layers").get(0).asText()).isEqualTo(layer);
        assertThat(info.get("RepoTags").toString()).contains("v1");
    }

    @Test
    void ociManifestsAndCopiesBetweenRepositoriesWork() throws Exception {
        skopeo("copy", "--dest-tls-verify=false", "--dest-creds", creds, "--format", "oci",
                "docker-archive:" + archive + ":" + TestImages.HTTPD, remote("skopeo/oci:v1"));
        assertThat(inspect("skopeo/oci:v1", true).get("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.manifest.v1+json");
        skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--src-creds", creds, "--dest-creds", creds,
                remote("skopeo/oci:v1"), remote("skopeo/copy:from-oci"));
        assertThat(inspect("skopeo/copy:from-oci", true)).isEqualTo(inspect("skopeo/oci:v1", true));
        assertThat(registry.ecr().describeImages(b -> b.repositoryName("skopeo/copy")).imageDetails().get(0)
                .imageTags()).containsExactly("from-oci");

        skopeo("delete", "--tls-verify=false", "--creds", creds, remote("skopeo/copy:from-oci"));
        assertThat(registry.ecr().listImages(b -> b.repositoryName("skopeo/copy")).imageIds()).isEmpty();
    }
}
