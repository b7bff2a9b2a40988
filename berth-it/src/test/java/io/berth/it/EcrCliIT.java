package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.testkit.images.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ECR API with the AWS CLI v2 ({@code /usr/bin/aws ecr ...}) against a Berth server in this JVM on
 * a loopback port: the CLI's requests, its reading of Berth's JSON (shapes, timestamps, errors) and
 * its waiters; and {@code aws ecr get-login-password | docker login --password-stdin} with the real
 * Docker CLI and Engine (DOCKER_HOST, a Docker config of its own), then {@code docker push}. The
 * Docker test is skipped without an engine unless {@code berth.requireDocker=true}; it removes only
 * the images it built.
 */
class EcrCliIT {
    private static final Path AWS = Path.of(System.getenv().getOrDefault("BERTH_AWS_CLI", "/usr/bin/aws"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = BerthFixture.ACCOUNT;
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** One Debian 12 package, listed in the images' dpkg database and vulnerable in the OSV file. */
    private static final String DEBIAN_12 =
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";
    private static final String DPKG_STATUS = """
            Package: libssl3
            Status: install ok installed
            Source: openssl
            Version: 3.0.9-1
            Architecture: amd64
            """;
    private static final String OSV = """
            {"id":"DEBIAN-CVE-2023-5678","aliases":["CVE-2023-5678"],"summary":"openssl: DH checks too slow",
             "affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},
               "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u2"}]}]}],
             "database_specific":{"severity":"high"}}""";

    private static BerthFixture berth;
    private static Path work;
    private static Map<String, String> dockerEnv;
    private final List<String> madeImages = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assertThat(AWS).as("the AWS CLI v2 (bin/test installs Debian's awscli)").isExecutable();
        berth = new BerthFixture();
        work = Files.createTempDirectory("berth-ecr-cli-");
        Path osv = Files.createDirectories(berth.dataDir().resolve("registry").resolve("osv").resolve("Debian"));
        Files.writeString(osv.resolve("DEBIAN-CVE-2023-5678.json"), OSV);
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
    }

    @AfterEach
    void removeMadeImages() throws Exception {
        for (String image : madeImages) {
            docker("rmi", "-f", image);
        }
    }

    // ---- the CLI ----

    private record Cli(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private static String host() {
        return "127.0.0.1:" + berth.server().port();
    }

    /** The environment of a CLI run: the server's root key, no profile, no pager. */
    private static Map<String, String> awsEnv() {
        return Map.of("AWS_ACCESS_KEY_ID", berth.server().credentials().accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", berth.server().credentials().secretAccessKey(),
                "AWS_REGION", BerthFixture.REGION, "AWS_PAGER", "",
                "AWS_CONFIG_FILE", work.resolve("no-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
    }

    private static Cli run(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("AWS_PROFILE");
        builder.environment().putAll(env);
        Path err = Files.createTempFile(work, "stderr-", ".txt");
        builder.redirectError(err.toFile());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        String errText = Files.readString(err);
        Files.delete(err);
        return new Cli(p.exitValue(), out, errText);
    }

    private static Cli aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", berth.endpoint(),
                "--output", "json", "ecr"));
        command.addAll(List.of(args));
        return run(awsEnv(), command);
    }

    /** Runs {@code aws ecr ARGS}, which must succeed; its JSON output ({@code null} when it prints none). */
    private static JsonNode ok(String... args) throws Exception {
        Cli r = aws(args);
        assertThat(r.exit()).as("aws ecr " + String.join(" ", args) + "\n" + r.err()).isZero();
        return r.out().isBlank() ? null : r.json();
    }

    /**
     * Runs {@code aws ecr ARGS}, which must fail as the CLI fails on an AWS error (exit 254) with the
     * error's code, the operation and the message; returns stderr.
     */
    private static String fails(String operation, String code, String message, String... args) throws Exception {
        Cli r = aws(args);
        assertThat(r.exit()).as("aws ecr " + String.join(" ", args) + "\n" + r.out() + r.err()).isEqualTo(254);
        assertThat(r.err()).contains("An error occurred (" + code + ") when calling the " + operation + " operation: "
                + message);
        return r.err();
    }

    private static Instant time(JsonNode node) {
        return OffsetDateTime.parse(node.asText()).toInstant();
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path(field).asText()).toList();
    }

    // ---- repositories, without Docker ----

    @Test
    void theCliManagesARepository() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String name = "cli/settings";
        JsonNode created = ok("create-repository", "--repository-name", name, "--image-tag-mutability", "IMMUTABLE",
                "--image-scanning-configuration", "scanOnPush=true", "--tags", "Key=team,Value=web",
                "Key=env,Value=dev").get("repository");
        String arn = "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/" + name;
        assertThat(created.get("repositoryArn").asText()).isEqualTo(arn);
        assertThat(created.get("registryId").asText()).isEqualTo(ACCOUNT);
        assertThat(created.get("repositoryName").asText()).isEqualTo(name);
        assertThat(created.get("repositoryUri").asText()).isEqualTo(host() + "/" + name);
        assertThat(created.get("imageTagMutability").asText()).isEqualTo("IMMUTABLE");
        assertThat(created.at("/imageScanningConfiguration/scanOnPush").asBoolean()).isTrue();
        assertThat(created.at("/encryptionConfiguration/encryptionType").asText()).isEqualTo("AES256");
        assertThat(time(created.get("createdAt"))).isBetween(before, Instant.now());

        JsonNode described = ok("describe-repositories", "--repository-names", name).get("repositories");
        assertThat(described).hasSize(1);
        assertThat(described.get(0)).isEqualTo(created);
        assertThat(texts(ok("describe-repositories").get("repositories"), "repositoryName")).contains(name);
        fails("CreateRepository", "RepositoryAlreadyExistsException", "The repository with name '" + name
                + "' already exists in the registry with id '" + ACCOUNT + "'", "create-repository",
                "--repository-name", name);

        assertThat(ok("list-tags-for-resource", "--resource-arn", arn).get("tags").toString())
                .isEqualTo("[{\"Key\":\"team\",\"Value\":\"web\"},{\"Key\":\"env\",\"Value\":\"dev\"}]");
        assertThat(ok("tag-resource", "--resource-arn", arn, "--tags", "Key=owner,Value=ops")).isNull();
        assertThat(ok("untag-resource", "--resource-arn", arn, "--tag-keys", "env")).isNull();
        assertThat(texts(ok("list-tags-for-resource", "--resource-arn", arn).get("tags"), "Key"))
                .containsExactlyInAnyOrder("team", "owner");

        JsonNode mutability = ok("put-image-tag-mutability", "--repository-name", name,
                "--image-tag-mutability", "MUTABLE");
        assertThat(mutability.toString()).isEqualTo("{\"registryId\":\"" + ACCOUNT + "\",\"repositoryName\":\""
                + name + "\",\"imageTagMutability\":\"MUTABLE\"}");
        JsonNode scanning = ok("put-image-scanning-configuration", "--repository-name", name,
                "--image-scanning-configuration", "scanOnPush=false");
        assertThat(scanning.toString()).isEqualTo("{\"registryId\":\"" + ACCOUNT + "\",\"repositoryName\":\""
                + name + "\",\"imageScanningConfiguration\":{\"scanOnPush\":false}}");
        JsonNode changed = ok("describe-repositories", "--repository-names", name).at("/repositories/0");
        assertThat(changed.get("imageTagMutability").asText()).isEqualTo("MUTABLE");
        assertThat(changed.at("/imageScanningConfiguration/scanOnPush").asBoolean()).isFalse();

        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"pull\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},"
                + "\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}";
        JsonNode set = ok("set-repository-policy", "--repository-name", name, "--policy-text", policy);
        assertThat(set.get("repositoryName").asText()).isEqualTo(name);
        assertThat(JSON.readTree(set.get("policyText").asText())).isEqualTo(JSON.readTree(policy));
        JsonNode got = ok("get-repository-policy", "--repository-name", name);
        assertThat(got.get("registryId").asText()).isEqualTo(ACCOUNT);
        assertThat(JSON.readTree(got.get("policyText").asText())).isEqualTo(JSON.readTree(policy));
        assertThat(JSON.readTree(ok("delete-repository-policy", "--repository-name", name).get("policyText")
                .asText())).isEqualTo(JSON.readTree(policy));
        fails("GetRepositoryPolicy", "RepositoryPolicyNotFoundException", "Repository policy does not exist for the "
                + "repository with name '" + name + "' in the registry with id '" + ACCOUNT + "'",
                "get-repository-policy", "--repository-name", name);
        fails("SetRepositoryPolicy", "InvalidParameterException", "Invalid parameter at 'PolicyText' failed to satisfy "
                + "constraint: 'Invalid repository policy provided'", "set-repository-policy",
                "--repository-name", name, "--policy-text", "{\"Statement\":\"no\"}");

        JsonNode registry = ok("describe-registry");
        assertThat(registry.get("registryId").asText()).isEqualTo(ACCOUNT);
        assertThat(registry.at("/replicationConfiguration/rules")).isEmpty();

        assertThat(ok("delete-repository", "--repository-name", name).at("/repository/repositoryArn").asText())
                .isEqualTo(arn);
        fails("DescribeRepositories", "RepositoryNotFoundException", "The repository with name '" + name
                + "' does not exist in the registry with id '" + ACCOUNT + "'",
                "describe-repositories", "--repository-names", name);
        fails("CreateRepository", "ValidationException", "1 validation error detected: Value 'Not_Lower/Case' at "
                + "'repositoryName' failed to satisfy constraint: Member must satisfy regular expression pattern",
                "create-repository", "--repository-name", "Not_Lower/Case");
    }

    // ---- docker login and push, then the images through the CLI ----

    private static void requireDocker() throws Exception {
        RegistryFixture.require("docker");
        try (DockerEngineRuntime runtime = TestEngine.open()) {
            // the engine answers and has the test images
        }
        Path config = Files.createDirectories(work.resolve("docker-config"));
        dockerEnv = Map.of("DOCKER_HOST", DockerEngineRuntime.hostFromEnvironment().toString(),
                "DOCKER_CONFIG", config.toString(), "DOCKER_BUILDKIT", "0");
    }

    private static Cli docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return run(dockerEnv, command);
    }

    private static Cli dockerOk(String... args) throws Exception {
        Cli r = docker(args);
        assertThat(r.exit()).as("docker " + String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
        return r;
    }

    /**
     * Builds, on the busybox test image, one layer with a random file and a Debian 12 dpkg database
     * listing the vulnerable package; pushes it; returns the digest {@code docker push} printed.
     */
    private String buildAndPush(String reference, long seed) throws Exception {
        Path context = Files.createTempDirectory(work, "build-");
        byte[] data = new byte[256 * 1024];
        new Random(seed).nextBytes(data);
        Files.write(Files.createDirectories(context.resolve("root")).resolve("random.bin"), data);
        Files.writeString(Files.createDirectories(context.resolve("root/etc")).resolve("os-release"), DEBIAN_12);
        Files.writeString(Files.createDirectories(context.resolve("root/var/lib/dpkg")).resolve("status"), DPKG_STATUS);
        Files.writeString(context.resolve("Dockerfile"), "FROM " + TestImages.BUSYBOX + "\nCOPY root/ /\n");
        madeImages.add(reference);
        String id = dockerOk("build", "-q", "-t", reference, context.toString()).out().trim();
        madeImages.add(id.substring(id.lastIndexOf('\n') + 1));
        Cli push = dockerOk("push", reference);
        Matcher m = Pattern.compile(": digest: (sha256:[0-9a-f]{64}) size: ").matcher(push.out());
        assertThat(m.find()).as(push.out()).isTrue();
        return m.group(1);
    }

    @Test
    void getLoginPasswordLogsDockerInAndTheCliReadsWhatDockerPushed() throws Exception {
        requireDocker();
        Instant before = Instant.now().minusSeconds(1);
        String name = "cli/app";
        String base = host() + "/" + name;
        assertThat(ok("create-repository", "--repository-name", name, "--image-tag-mutability", "IMMUTABLE",
                "--image-scanning-configuration", "scanOnPush=true").at("/repository/repositoryUri").asText())
                .isEqualTo(base);

        // as the README: aws ecr get-login-password | docker login --username AWS --password-stdin HOST
        Map<String, String> env = new HashMap<>(awsEnv());
        env.putAll(dockerEnv);
        Cli login = run(env, List.of("bash", "-c", "set -o pipefail; '" + AWS + "' --endpoint-url " + berth.endpoint()
                + " ecr get-login-password | docker login --username AWS --password-stdin " + host()));
        assertThat(login.exit()).as(login.out() + login.err()).isZero();
        assertThat(login.out()).contains("Login Succeeded");
        assertThat(Files.readString(Path.of(dockerEnv.get("DOCKER_CONFIG"), "config.json"))).contains(host());

        String v1 = buildAndPush(base + ":v1", 1);
        ok("put-image-scanning-configuration", "--repository-name", name, "--image-scanning-configuration",
                "scanOnPush=false");
        String v2 = buildAndPush(base + ":v2", 2);
        Instant pushed = Instant.now();

        // Lifecycle first: Berth enforces the policy 30 s after a push, and deleting it here keeps v1.
        String policy = "{\"rules\":[{\"rulePriority\":1,\"description\":\"keep one\",\"selection\":{\"tagStatus\":"
                + "\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":1},\"action\":{\"type\":\"expire\"}}]}";
        JsonNode put = ok("put-lifecycle-policy", "--repository-name", name, "--lifecycle-policy-text", policy);
        assertThat(put.get("registryId").asText()).isEqualTo(ACCOUNT);
        assertThat(JSON.readTree(put.get("lifecyclePolicyText").asText())).isEqualTo(JSON.readTree(policy));
        assertThat(JSON.readTree(ok("get-lifecycle-policy", "--repository-name", name).get("lifecyclePolicyText")
                .asText())).isEqualTo(JSON.readTree(policy));
        assertThat(ok("start-lifecycle-policy-preview", "--repository-name", name).get("status").asText())
                .isIn("IN_PROGRESS", "COMPLETE");
        assertThat(ok("wait", "lifecycle-policy-preview-complete", "--repository-name", name)).isNull();
        JsonNode preview = ok("get-lifecycle-policy-preview", "--repository-name", name);
        assertThat(preview.get("status").asText()).isEqualTo("COMPLETE");
        assertThat(preview.at("/summary/expiringImageTotalCount").asInt()).isEqualTo(1);
        JsonNode expiring = preview.at("/previewResults/0");
        assertThat(expiring.get("imageDigest").asText()).isEqualTo(v1);
        assertThat(expiring.get("imageTags").toString()).isEqualTo("[\"v1\"]");
        assertThat(expiring.at("/action/type").asText()).isEqualTo("EXPIRE");
        assertThat(expiring.get("appliedRulePriority").asInt()).isEqualTo(1);
        ok("delete-lifecycle-policy", "--repository-name", name);
        fails("GetLifecyclePolicy", "LifecyclePolicyNotFoundException", "Lifecycle policy does not exist",
                "get-lifecycle-policy", "--repository-name", name);

        // What docker pushed, as describe-images, list-images and batch-get-image show it
        JsonNode details = ok("describe-images", "--repository-name", name).get("imageDetails");
        assertThat(texts(details, "imageDigest")).containsExactlyInAnyOrder(v1, v2);
        JsonNode got = ok("batch-get-image", "--repository-name", name, "--image-ids", "imageTag=v1",
                "imageTag=nope");
        assertThat(got.get("images")).hasSize(1);
        JsonNode image = got.at("/images/0");
        assertThat(image.at("/imageId/imageDigest").asText()).isEqualTo(v1);
        assertThat(image.at("/imageId/imageTag").asText()).isEqualTo("v1");
        assertThat(image.get("imageManifestMediaType").asText()).isEqualTo(DOCKER_MANIFEST);
        JsonNode manifest = JSON.readTree(image.get("imageManifest").asText());
        assertThat(got.at("/failures/0/imageId/imageTag").asText()).isEqualTo("nope");
        assertThat(got.at("/failures/0/failureCode").asText()).isEqualTo("ImageNotFound");
        long size = manifest.at("/config/size").asLong();
        for (JsonNode layer : manifest.get("layers")) {
            size += layer.get("size").asLong();
        }
        JsonNode detail = ok("describe-images", "--repository-name", name, "--image-ids", "imageTag=v1")
                .at("/imageDetails/0");
        assertThat(detail.get("registryId").asText()).isEqualTo(ACCOUNT);
        assertThat(detail.get("repositoryName").asText()).isEqualTo(name);
        assertThat(detail.get("imageDigest").asText()).isEqualTo(v1);
        assertThat(detail.get("imageTags").toString()).isEqualTo("[\"v1\"]");
        assertThat(detail.get("imageSizeInBytes").asLong()).isEqualTo(size).isGreaterThan(256 * 1024);
        assertThat(time(detail.get("imagePushedAt"))).isBetween(before, pushed);
        assertThat(detail.get("imageManifestMediaType").asText()).isEqualTo(DOCKER_MANIFEST);
        assertThat(ok("list-images", "--repository-name", name).get("imageIds").toString())
                .contains("{\"imageDigest\":\"" + v1 + "\",\"imageTag\":\"v1\"}")
                .contains("{\"imageDigest\":\"" + v2 + "\",\"imageTag\":\"v2\"}");

        // An immutable tag does not move; a new tag on an existing image is fine
        String v2Manifest = ok("batch-get-image", "--repository-name", name, "--image-ids", "imageTag=v2")
                .at("/images/0/imageManifest").asText();
        fails("PutImage", "ImageTagAlreadyExistsException", "The image tag 'v1' already exists in the '" + name
                + "' repository and cannot be overwritten because the repository is immutable.",
                "put-image", "--repository-name", name, "--image-manifest", v2Manifest, "--image-tag", "v1");
        JsonNode release = ok("put-image", "--repository-name", name, "--image-manifest", v2Manifest,
                "--image-tag", "release").get("image");
        assertThat(release.at("/imageId/imageDigest").asText()).isEqualTo(v2);
        assertThat(release.at("/imageId/imageTag").asText()).isEqualTo("release");
        assertThat(release.get("imageManifest").asText()).isEqualTo(v2Manifest);

        // v1 was scanned on push; v2 (pushed with scanOnPush=false) when asked
        assertThat(ok("wait", "image-scan-complete", "--repository-name", name, "--image-id", "imageTag=v1"))
                .isNull();
        JsonNode findings = ok("describe-image-scan-findings", "--repository-name", name, "--image-id", "imageTag=v1");
        assertScanFound(findings, v1);
        fails("DescribeImageScanFindings", "ScanNotFoundException", "Image scan does not exist for the image",
                "describe-image-scan-findings", "--repository-name", name, "--image-id", "imageTag=v2");
        JsonNode scan = ok("start-image-scan", "--repository-name", name, "--image-id", "imageTag=v2");
        assertThat(scan.at("/imageId/imageDigest").asText()).isEqualTo(v2);
        assertThat(scan.at("/imageScanStatus/status").asText()).isIn("IN_PROGRESS", "COMPLETE");
        assertThat(ok("wait", "image-scan-complete", "--repository-name", name, "--image-id", "imageTag=v2"))
                .isNull();
        assertScanFound(ok("describe-image-scan-findings", "--repository-name", name, "--image-id", "imageTag=v2"),
                v2);
        assertThat(ok("describe-images", "--repository-name", name, "--image-ids", "imageTag=v2")
                .at("/imageDetails/0/imageScanFindingsSummary/findingSeverityCounts/HIGH").asInt()).isEqualTo(1);

        // Deleting: a tag of an image with two, then the image, then the repository
        JsonNode untagged = ok("batch-delete-image", "--repository-name", name, "--image-ids", "imageTag=release");
        assertThat(untagged.get("imageIds").toString())
                .isEqualTo("[{\"imageDigest\":\"" + v2 + "\",\"imageTag\":\"release\"}]");
        JsonNode deleted = ok("batch-delete-image", "--repository-name", name, "--image-ids", "imageDigest=" + v2,
                "imageTag=nope");
        assertThat(deleted.get("imageIds").toString())
                .isEqualTo("[{\"imageDigest\":\"" + v2 + "\",\"imageTag\":\"v2\"}]");
        assertThat(deleted.at("/failures/0/failureCode").asText()).isEqualTo("ImageNotFound");
        assertThat(deleted.at("/failures/0/failureReason").asText()).isEqualTo("Requested image not found");
        assertThat(texts(ok("list-images", "--repository-name", name).get("imageIds"), "imageDigest"))
                .containsExactly(v1);
        fails("DeleteRepository", "RepositoryNotEmptyException", "The repository with name '" + name
                + "' in registry with id '" + ACCOUNT + "' cannot be deleted because it still contains images",
                "delete-repository", "--repository-name", name);
        assertThat(ok("delete-repository", "--repository-name", name, "--force").at("/repository/repositoryName")
                .asText()).isEqualTo(name);
        dockerOk("logout", host());
    }

    private static void assertScanFound(JsonNode findings, String digest) {
        assertThat(findings.at("/imageId/imageDigest").asText()).isEqualTo(digest);
        assertThat(findings.at("/imageScanStatus/status").asText()).isEqualTo("COMPLETE");
        assertThat(findings.at("/imageScanFindings/findingSeverityCounts/HIGH").asInt()).isEqualTo(1);
        assertThat(findings.at("/imageScanFindings/imageScanCompletedAt").isTextual()).isTrue();
        JsonNode finding = findings.at("/imageScanFindings/findings/0");
        assertThat(finding.get("name").asText()).isEqualTo("CVE-2023-5678");
        assertThat(finding.get("severity").asText()).isEqualTo("HIGH");
        assertThat(finding.get("attributes").toString())
                .contains("{\"key\":\"package_name\",\"value\":\"libssl3\"}")
                .contains("{\"key\":\"package_version\",\"value\":\"3.0.9-1\"}");
    }
}
