package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.agent.runtime.DockerEngineRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's walk-through, word for word, with the AWS CLI v2 ({@code /usr/bin/aws}) against
 * a Berth server process whose data directory is the README's {@code ~/.berth}; the README's address
 * {@code 127.0.0.1:4566} becomes the server's (in {@code $BERTH} and in {@code docker login/push}).
 * Its Docker part (from {@code # Real containers}) runs only with a Docker Engine, with the Docker
 * CLI's config in the temporary {@code $HOME}.
 */
class CliWalkthroughIT {
    private static final Path AWS = Path.of(System.getenv().getOrDefault("BERTH_AWS_CLI", "/usr/bin/aws"));

    @Test
    void theReadmeWalkthroughRuns() throws Exception {
        assertThat(AWS).as("the AWS CLI v2 (bin/test installs Debian's awscli)").isExecutable();
        String script = walkthrough();
        Path home = Files.createTempDirectory("berth-cli-home-");
        DockerEngineRuntime docker = new DockerEngineRuntime(DockerEngineRuntime.hostFromEnvironment());
        boolean dockerUp = engineAnswers(docker);
        if (!dockerUp && Boolean.getBoolean("berth.requireDocker")) {
            org.junit.jupiter.api.Assertions.fail("no Docker Engine answers (and berth.requireDocker=true)");
        }
        if (!dockerUp) {
            script = script.substring(0, script.indexOf("# Real containers"));
        }
        try (ServerProcess server = ServerProcess.start(dockerUp ? "up" : "server", home.resolve(".berth"))) {
            Path bin = Files.createDirectories(home.resolve("bin"));
            Files.createSymbolicLink(bin.resolve("aws"), AWS);
            String berth = String.join(" ", ServerProcess.berthCommand().stream().map(a -> "'" + a + "'").toList());
            String address = server.endpoint().substring("http://".length());
            String text = "set -euo pipefail\n" + script.replace("127.0.0.1:4566", address)
                    .replace("bin/berth ", berth + " ");
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", text).redirectErrorStream(true);
            builder.environment().put("HOME", home.toString());
            builder.environment().put("PATH", bin + ":/usr/bin:/bin");
            builder.environment().put("AWS_PAGER", "");
            builder.environment().remove("AWS_ACCESS_KEY_ID");
            builder.environment().remove("AWS_SECRET_ACCESS_KEY");
            builder.environment().remove("AWS_PROFILE");
            builder.environment().remove("DOCKER_CONFIG");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(process.exitValue()).as(output).isZero();
                assertThat(output)
                        .contains("\"clusterArn\": \"arn:aws:ecs:us-east-1:000000000000:cluster/demo\"")
                        .contains("\"key\": \"team\"")
                        .contains("arn:aws:ecs:us-east-1:000000000000:task-definition/web:2")
                        .contains("\"status\": \"INACTIVE\"");
                if (dockerUp) {
                    assertThat(output).contains("berth ok").contains("\"status\": \"STOPPED\"")
                            .contains("\"stopCode\": \"EssentialContainerExited\"").contains("\"exitCode\": 3")
                            .contains("Login Succeeded")
                            .contains("\"repositoryUri\": \"" + address + "/demo/web\"")
                            .contains("\"imageManifestMediaType\": "
                                    + "\"application/vnd.docker.distribution.manifest.v2+json\"");
                }
            } finally {
                if (dockerUp) {
                    new ProcessBuilder("docker", "rmi", address + "/demo/web:1").redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
                    // this run's containers: of its tasks, or of its instance (list-container-instances
                    // printed it; the job's task ARN is never printed)
                    for (var c : docker.list(java.util.Map.of("berth.managed", "true"),
                            java.time.Duration.ofSeconds(10))) {
                        if (output.contains(c.labels().getOrDefault("com.amazonaws.ecs.task-arn", "\u0000"))
                                || output.contains(c.labels().getOrDefault("berth.container-instance", "\u0000"))) {
                            docker.remove(c.id(), java.time.Duration.ofSeconds(30));
                        }
                    }
                }
            }
        } finally {
            docker.close();
        }
    }

    private static boolean engineAnswers(DockerEngineRuntime docker) {
        try {
            docker.host(java.time.Duration.ofSeconds(5));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String walkthrough() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        Matcher m = Pattern.compile("<!-- walkthrough:start -->\\s*```sh\\n(.*?)```\\s*<!-- walkthrough:end -->",
                Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as("README.md has a walk-through block").isTrue();
        return m.group(1);
    }
}
