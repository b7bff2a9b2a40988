package io.berth.registry;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.blob.Digest;
import io.berth.registry.image.MediaTypes;
import io.berth.store.sqlite.SqliteStateStore;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over the real adapters (SQLite, files) keeps images, tags and uploads across a restart. */
class RegistryRestartTest {
    @TempDir
    Path dir;

    private RegistryServer start() throws Exception {
        return RegistryServer.start(SqliteStateStore.open(dir.resolve("store")), dir.resolve("blobs"),
                InstantSource.system(), RegistryApi.Settings.defaults());
    }

    @Test
    void imagesTagsAndUploadsSurviveARestart() throws Exception {
        byte[] layer = new byte[200_000];
        new Random(1).nextBytes(layer);
        byte[] config = bytes("{\"os\":\"linux\"}");
        String manifest = TestManifests.image(MediaTypes.DOCKER_MANIFEST, config, List.of(layer));
        String location;
        try (RegistryServer server = start()) {
            server.ecr("CreateRepository", "{\"repositoryName\":\"durable/app\"}");
            OciClient oci = OciClient.loggedIn(server);
            oci.pushBlob("durable/app", config);
            oci.pushBlob("durable/app", layer);
            oci.pushManifest("durable/app", "v1", manifest, MediaTypes.DOCKER_MANIFEST);
            location = oci.post("/v2/durable/app/blobs/uploads/", null).header("Location");
            oci.patch(location, Arrays.copyOfRange(layer, 0, 1000), "Content-Type", "application/octet-stream");
        }
        try (RegistryServer server = start()) {
            OciClient oci = OciClient.loggedIn(server);
            assertThat(oci.get("/v2/durable/app/manifests/v1").text()).isEqualTo(manifest);
            assertThat(oci.get("/v2/durable/app/blobs/" + Digest.sha256(layer)).body()).isEqualTo(layer);
            assertThat(oci.get(location).header("Range")).isEqualTo("0-999");
            byte[] rest = Arrays.copyOfRange(layer, 1000, layer.length);
            oci.patch(location, rest, "Content-Range", "1000-" + (layer.length - 1));
            assertThat(oci.put(location + "?digest=" + Digest.sha256(layer), null).status()).isEqualTo(201);
            assertThat(server.ecr("DescribeImages", "{\"repositoryName\":\"durable/app\"}").body())
                    .contains("\"imageTags\":[\"v1\"]");
        }
    }
}
