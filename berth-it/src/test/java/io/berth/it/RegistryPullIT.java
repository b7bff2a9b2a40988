package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.testkit.images.TestImages;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * Tasks whose image is in Berth's own registry (the repositoryUri ECR returns): pushed with the
 * Docker CLI after {@code docker login}, absent from the engine's cache, pulled by the agent with
 * its own ECR token. The agent pulls with the "prefer-cached" behaviour here. Skipped without an
 * engine unless {@code berth.requireDocker=true}. Removes only the image references it made.
 */
class RegistryPullIT {
    private static DockerFixture docker;
    private static EcrClient ecr;
    private static Map<String, String> env;
    private final List<String> madeImages = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        RegistryFixture.require("docker");
        docker = DockerFixture.start();
        var credentials = docker.berth.server().credentials();
        ecr = EcrClient.builder()
                .endpointOverride(URI.create(docker.berth.endpoint()))
                .region(Region.of(BerthFixture.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey())))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        Path config = Files.createTempDirectory("berth-registry-pull-docker-");
        env = Map.of("DOCKER_HOST", DockerEngineRuntime.hostFromEnvironment().toString(),
                "DOCKER_CONFIG", config.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (ecr != null) {
            ecr.close();
        }
        if (docker != null) {
            docker.close();
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

    /** Creates the repository, pushes the exit test image to it as {@code tag}; returns the repositoryUri. */
    private String push(String repository, String tag) throws Exception {
        String uri = ecr.createRepository(r -> r.repositoryName(repository)).repository().repositoryUri();
        String token = ecr.getAuthorizationToken().authorizationData().get(0).authorizationToken();
        String password = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).substring(4);
        String host = uri.substring(0, uri.indexOf('/'));
        ok("login", "-u", "AWS", "-p", password, host);
        String image = uri + ":" + tag;
        madeImages.add(image);
        ok("tag", TestImages.EXIT, image);
        ok("push", image);
        ok("rmi", image);
        ok("logout", host);
        assertThat(docker.runtime.image(image, Duration.ofSeconds(10))).as("not cached on the engine").isEmpty();
        return uri;
    }

    private static String register(String family, String image) {
        return docker.ecs().registerTaskDefinition(r -> r.family(family).containerDefinitions(ContainerDefinition
                .builder().name("main").image(image).memory(32).command("7", "4").build()))
                .taskDefinition().taskDefinitionArn();
    }

    private static Task run(String taskDefinition) {
        var response = docker.ecs().runTask(r -> r.taskDefinition(taskDefinition));
        assertThat(response.failures()).isEmpty();
        return response.tasks().get(0);
    }

    @Test
    void aTaskRunsAnImagePushedToBerthsRegistryThatTheEngineDidNotHave() throws Exception {
        String uri = push("pull/exit", "v1");
        assertThat(uri).isEqualTo("127.0.0.1:" + docker.berth.server().port() + "/pull/exit");

        Task task = run(register("pulled", uri + ":v1"));
        Task running = docker.awaitStatus(task.taskArn(), "RUNNING", Duration.ofSeconds(60));
        assertThat(running.containers().get(0).imageDigest()).startsWith("sha256:");
        Task stopped = docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(60));

        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(7);
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        ImageDetail image = ecr.describeImages(d -> d.repositoryName("pull/exit")).imageDetails().get(0);
        assertThat(running.containers().get(0).imageDigest()).isEqualTo(image.imageDigest());
        assertThat(image.lastRecordedPullTime()).isNotNull();
        assertThat(docker.runtime.image(uri + ":v1", Duration.ofSeconds(10))).isPresent();
    }

    @Test
    void aTagTheRegistryDoesNotHaveStopsTheTaskWithCannotPullContainerError() throws Exception {
        String uri = push("pull/missing", "v1");

        Task task = run(register("missing-tag", uri + ":nope"));
        Task stopped = docker.awaitStatus(task.taskArn(), "STOPPED", Duration.ofSeconds(60));

        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError:").contains(uri + ":nope")
                .doesNotContain("basic auth credentials").doesNotContain("unauthorized");
        assertThat(stopped.containers().get(0).reason()).startsWith("CannotPullContainerError:");
    }
}
