package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.testkit.images.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;

/**
 * {@code docker login}, {@code docker push}, {@code docker pull} and {@code docker run} of an image
 * from the registry, with the real Docker CLI and Engine (DOCKER_HOST; 127.0.0.0/8 registries may be
 * plain HTTP). Skipped without an engine unless {@code berth.requireDocker=true}. Removes only the
 * images it made.
 */
class RegistryDockerIT {
    private static RegistryFixture registry;
    private static Map<String, String> env;
    private static Path work;
    private final List<String> madeImages = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        RegistryFixture.require("docker");
        try (DockerEngineRuntime runtime = TestEngine.open()) {
            // the engine answers and has the test images
        }
        registry = new RegistryFixture();
        work = Files.createTempDirectory("berth-registry-docker-");
        Files.createDirectories(work.resolve("config"));
        env = Map.of("DOCKER_HOST", DockerEngineRuntime.hostFromEnvironment().toString(),
                "DOCKER_CONFIG", work.resolve("config").toString(), "DOCKER_BUILDKIT", "0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void removeMadeImages() throws Exception {
        for (String image : madeImages) {
            docker("rmi", "-f", image);
        }
    }

    private static RegistryFixture.Run docker(String... args) throws Exception {
        List<String> command = RegistryFixture.list("docker");
        command.addAll(List.of(args));
        return RegistryFixture.run(env, 300, command.toArray(String[]::new));
    }

    private static RegistryFixture.Run ok(String... args) throws Exception {
        RegistryFixture.Run r = docker(args);
        assertThat(r.exit()).as("docker " + String.join(" ", args) + "\n" + r.output()).isZero();
        return r;
    }

    private void login() throws Exception {
        ok("login", "-u", "AWS", "-p", registry.password(), registry.host());
    }

    /**
     * Builds an image on the busybox test image with a random 3 MB file; returns the file's sha256.
     * Remembers the tag and the image id (a later build of the same tag leaves the first image
     * without it) for removal.
     */
    private String build(String reference, long seed) throws Exception {
        Path context = Files.createTempDirectory(work, "build-");
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(seed).nextBytes(data);
        Files.write(context.resolve("random.bin"), data);
        Files.writeString(context.resolve("Dockerfile"), "FROM " + TestImages.BUSYBOX + "\nCOPY random.bin /random.bin\n");
        madeImages.add(reference);
        String id = ok("build", "-q", "-t", reference, context.toString()).output().trim();
        madeImages.add(id.substring(id.lastIndexOf('\n') + 1));
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void dockerLogsInPushesPullsAndRunsAnImage() throws Exception {
        registry.ecr().createRepository(b -> b.repositoryName("docker/app"));
        login();
        String image = registry.host() + "/docker/app:v1";
        String fileHash = build(image, 1);
        RegistryFixture.Run push = ok("push", image);
        assertThat(push.output()).contains("v1: digest: sha256:");

        ImageDetail detail = registry.ecr().describeImages(b -> b.repositoryName("docker/app")).imageDetails().get(0);
        assertThat(detail.imageTags()).containsExactly("v1");
        assertThat(detail.imageManifestMediaType()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(detail.imageSizeInBytes()).isGreaterThan(3_000_000L);
        assertThat(push.output()).contains(detail.imageDigest());

        ok("rmi", image);
        RegistryFixture.Run pull = ok("pull", image);
        assertThat(pull.output()).contains("Digest: " + detail.imageDigest());
        RegistryFixture.Run run = ok("run", "--rm", image, "sha256sum", "/random.bin");
        assertThat(run.output()).contains(fileHash);
        assertThat(registry.ecr().describeImages(b -> b.repositoryName("docker/app")).imageDetails().get(0)
                .lastRecordedPullTime()).isNotNull();
    }

    @Test
    void withoutLoginNothingIsPulledOrPushed() throws Exception {
        registry.ecr().createRepository(b -> b.repositoryName("docker/private"));
        login();
        String image = registry.host() + "/docker/private:v1";
        build(image, 2);
        ok("push", image);
        ok("logout", registry.host());
        ok("rmi", image);
        RegistryFixture.Run pull = docker("pull", image);
        assertThat(pull.exit()).isNotZero();
        assertThat(pull.output()).containsIgnoringCase("basic auth credentials");

        String other = registry.host() + "/docker/private:v2";
        build(other, 3);
        RegistryFixture.Run push = docker("push", other);
        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).containsIgnoringCase("basic auth credentials");
        assertThat(registry.ecr().listImages(b -> b.repositoryName("docker/private")).imageIds())
                .extracting(id -> id.imageTag()).doesNotContain("v2");
    }

    @Test
    void pushingToARepositoryNobodyCreatedFailsAsOnEcr() throws Exception {
        login();
        String image = registry.host() + "/docker/never-created:v1";
        build(image, 3);
        RegistryFixture.Run push = docker("push", image);
        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("The repository with name 'docker/never-created' does not exist in the "
                + "registry with id '000000000000'");
    }

    @Test
    void anImmutableTagCannotBePushedOver() throws Exception {
        registry.ecr().createRepository(b -> b.repositoryName("docker/immutable")
                .imageTagMutability(ImageTagMutability.IMMUTABLE));
        login();
        String image = registry.host() + "/docker/immutable:v1";
        build(image, 4);
        ok("push", image);
        build(image, 5);
        RegistryFixture.Run again = docker("push", image);
        assertThat(again.exit()).isNotZero();
        assertThat(again.output()).contains("cannot be overwritten because the repository is immutable");
    }
}
