package io.berth.registry.oci;

import static io.berth.registry.TestManifests.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.OciClient;
import io.berth.registry.OciClient.Reply;
import io.berth.registry.RegistryServer;
import io.berth.registry.TestManifests;
import io.berth.registry.blob.Digest;
import io.berth.registry.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The distribution API over HTTP, endpoint by endpoint, as a client of the spec sees it. */
class DistributionApiTest {
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static RegistryServer server;
    private static OciClient oci;

    @BeforeAll
    static void start() throws Exception {
        server = RegistryServer.start();
        oci = OciClient.loggedIn(server);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String newRepo() throws Exception {
        String name = "team/repo-" + REPOS.incrementAndGet();
        assertThat(server.ecr("CreateRepository", "{\"repositoryName\":\"" + name + "\"}").statusCode()).isEqualTo(200);
        return name;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Pushes config and layers, then a manifest of {@code mediaType}; returns its digest. */
    private static String pushImage(String repo, String reference, String mediaType, long seed) {
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}");
        byte[] layer = random(5000, seed);
        oci.pushBlob(repo, config);
        oci.pushBlob(repo, layer);
        return oci.pushManifest(repo, reference, TestManifests.image(mediaType, config, List.of(layer)), mediaType);
    }

    // ---- authentication ----

    @Test
    void anonymousRequestsAreRefusedWithABasicChallenge() throws Exception {
        String repo = newRepo();
        for (Reply r : List.of(oci.anonymous().get("/v2/"), oci.anonymous().get("/v2/" + repo + "/manifests/latest"),
                oci.anonymous().post("/v2/" + repo + "/blobs/uploads/", null))) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Berth\"");
            assertThat(r.errorCode()).isEqualTo("UNAUTHORIZED");
        }
    }

    @Test
    void onlyUserAwsWithAValidPasswordGetsIn() throws Exception {
        String good = OciClient.loggedIn(server).get("/v2/").status() == 200 ? "ok" : "no";
        assertThat(good).isEqualTo("ok");
        String token = server.ecr("GetAuthorizationToken", "{}").body();
        String password = new String(Base64.getDecoder().decode(
                io.berth.registry.RegistryJson.MAPPER.readTree(token).at("/authorizationData/0/authorizationToken")
                        .asText()), StandardCharsets.UTF_8).substring(4);
        assertThat(oci.anonymous().get("/v2/", "Authorization", "Bearer " + password).status()).isEqualTo(200);
        assertThat(oci.anonymous().get("/v2/", "Authorization", basic("admin", password)).status()).isEqualTo(401);
        assertThat(oci.anonymous().get("/v2/", "Authorization", basic("AWS", password + "x")).status()).isEqualTo(401);
        String tampered = password.replace("AKIA", "AKIB");
        assertThat(oci.anonymous().get("/v2/", "Authorization", basic("AWS", tampered)).status()).isEqualTo(401);
        assertThat(oci.anonymous().get("/v2/", "Authorization", "Basic not-base64!").status()).isEqualTo(401);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theBaseEndpointAnswersWithTheApiVersion() {
        Reply r = oci.get("/v2/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    }

    // ---- names ----

    @Test
    void pushingToAMissingRepositoryFailsAsEcrDoes() {
        Reply r = oci.post("/v2/no/such-repo/blobs/uploads/", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("NAME_UNKNOWN");
        assertThat(r.json().at("/errors/0/message").asText()).isEqualTo(
                "The repository with name 'no/such-repo' does not exist in the registry with id '000000000000'");
    }

    @Test
    void invalidNamesAreNameInvalid() {
        Reply r = oci.get("/v2/Bad_Name/tags/list");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("NAME_INVALID");
    }

    // ---- blobs ----

    @Test
    void aMonolithicBlobPushIsServedByGetAndHead() throws Exception {
        String repo = newRepo();
        byte[] content = random(100_000, 1);
        String digest = oci.pushBlob(repo, content);
        Reply get = oci.get("/v2/" + repo + "/blobs/" + digest);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        assertThat(get.header("Docker-Content-Digest")).isEqualTo(digest);
        Reply head = oci.head("/v2/" + repo + "/blobs/" + digest);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("100000");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestIsRefused() throws Exception {
        String repo = newRepo();
        String claimed = Digest.sha256(bytes("claimed")).toString();
        Reply r = oci.post("/v2/" + repo + "/blobs/uploads/?digest=" + claimed, bytes("actual"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("DIGEST_INVALID");
        assertThat(oci.head("/v2/" + repo + "/blobs/" + claimed).status()).isEqualTo(404);
    }

    @Test
    void aChunkedUploadTakesChunksInOrderOnly() throws Exception {
        String repo = newRepo();
        byte[] content = random(300_000, 2);
        Reply start = oci.post("/v2/" + repo + "/blobs/uploads/", null);
        assertThat(start.status()).isEqualTo(202);
        String location = start.header("Location");
        assertThat(location).startsWith("/v2/" + repo + "/blobs/uploads/");
        assertThat(start.header("Docker-Upload-UUID")).isNotBlank();
        assertThat(start.header("Range")).isEqualTo("0-0");

        Reply first = oci.patch(location, Arrays.copyOfRange(content, 0, 100_000),
                "Content-Range", "0-99999", "Content-Type", "application/octet-stream");
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header("Range")).isEqualTo("0-99999");
        assertThat(first.header("Location")).isEqualTo(location);

        Reply status = oci.get(location);
        assertThat(status.status()).isEqualTo(204);
        assertThat(status.header("Range")).isEqualTo("0-99999");
        assertThat(status.header("Docker-Upload-UUID")).isEqualTo(start.header("Docker-Upload-UUID"));

        Reply outOfOrder = oci.patch(location, Arrays.copyOfRange(content, 150_000, 200_000),
                "Content-Range", "150000-199999", "Content-Type", "application/octet-stream");
        assertThat(outOfOrder.status()).isEqualTo(416);
        assertThat(outOfOrder.header("Range")).isEqualTo("0-99999");
        assertThat(outOfOrder.errorCode()).isEqualTo("BLOB_UPLOAD_INVALID");

        Reply second = oci.patch(location, Arrays.copyOfRange(content, 100_000, 200_000),
                "Content-Range", "100000-199999", "Content-Type", "application/octet-stream");
        assertThat(second.status()).isEqualTo(202);
        String digest = Digest.sha256(content).toString();
        assertThat(oci.head("/v2/" + repo + "/blobs/" + digest).status()).isEqualTo(404);

        Reply done = oci.put(location + "?digest=" + digest, Arrays.copyOfRange(content, 200_000, 300_000),
                "Content-Type", "application/octet-stream");
        assertThat(done.status()).isEqualTo(201);
        assertThat(done.header("Location")).isEqualTo("/v2/" + repo + "/blobs/" + digest);
        assertThat(done.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(oci.get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
        Reply gone = oci.get(location);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void aStreamedUploadNeedsNoContentRange() throws Exception {
        String repo = newRepo();
        byte[] content = random(70_000, 3);
        String location = oci.post("/v2/" + repo + "/blobs/uploads/", null).header("Location");
        assertThat(oci.patch(location, content, "Content-Type", "application/octet-stream").status()).isEqualTo(202);
        String digest = Digest.sha256(content).toString();
        assertThat(oci.put(location + "?digest=" + digest, null).status()).isEqualTo(201);
        assertThat(oci.get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void finishingWithTheWrongDigestFailsAndShowsNothing() throws Exception {
        String repo = newRepo();
        String location = oci.post("/v2/" + repo + "/blobs/uploads/", null).header("Location");
        oci.patch(location, bytes("content"), "Content-Type", "application/octet-stream");
        String wrong = Digest.sha256(bytes("other")).toString();
        Reply r = oci.put(location + "?digest=" + wrong, null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("DIGEST_INVALID");
        assertThat(oci.head("/v2/" + repo + "/blobs/" + wrong).status()).isEqualTo(404);
    }

    @Test
    void aCancelledUploadIsUnknown() throws Exception {
        String repo = newRepo();
        String location = oci.post("/v2/" + repo + "/blobs/uploads/", null).header("Location");
        assertThat(oci.delete(location).status()).isEqualTo(204);
        assertThat(oci.get(location).status()).isEqualTo(404);
        assertThat(oci.patch(location, bytes("x")).errorCode()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void anUploadBelongsToItsRepository() throws Exception {
        String a = newRepo();
        String b = newRepo();
        String location = oci.post("/v2/" + a + "/blobs/uploads/", null).header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        Reply r = oci.get("/v2/" + b + "/blobs/uploads/" + id);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void rangesOfBlobsAreServed() throws Exception {
        String repo = newRepo();
        byte[] content = random(1000, 4);
        String digest = oci.pushBlob(repo, content);
        String path = "/v2/" + repo + "/blobs/" + digest;
        Reply part = oci.get(path, "Range", "bytes=10-19");
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
        assertThat(part.header("Content-Range")).isEqualTo("bytes 10-19/1000");
        Reply suffix = oci.get(path, "Range", "bytes=-5");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, 995, 1000));
        Reply open = oci.get(path, "Range", "bytes=990-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, 990, 1000));
        Reply bad = oci.get(path, "Range", "bytes=2000-3000");
        assertThat(bad.status()).isEqualTo(416);
        assertThat(bad.header("Content-Range")).isEqualTo("bytes */1000");
    }

    @Test
    void blobsMountFromRepositoriesThatHaveThem() throws Exception {
        String a = newRepo();
        String b = newRepo();
        String c = newRepo();
        String digest = oci.pushBlob(a, bytes("shared layer"));
        Reply mounted = oci.post("/v2/" + b + "/blobs/uploads/?mount=" + digest + "&from=" + a, null);
        assertThat(mounted.status()).isEqualTo(201);
        assertThat(mounted.header("Location")).isEqualTo("/v2/" + b + "/blobs/" + digest);
        assertThat(oci.get("/v2/" + b + "/blobs/" + digest).text()).isEqualTo("shared layer");

        Reply fallback = oci.post("/v2/" + c + "/blobs/uploads/?mount=" + digest + "&from=" + newRepo(), null);
        assertThat(fallback.status()).isEqualTo(202);
        assertThat(fallback.header("Location")).startsWith("/v2/" + c + "/blobs/uploads/");

        Reply automatic = oci.post("/v2/" + c + "/blobs/uploads/?mount=" + digest, null);
        assertThat(automatic.status()).isEqualTo(201);
    }

    @Test
    void blobsBelongToTheRepositoriesTheyWerePushedTo() throws Exception {
        String a = newRepo();
        String b = newRepo();
        String digest = oci.pushBlob(a, bytes("private layer"));
        Reply r = oci.get("/v2/" + b + "/blobs/" + digest);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void deletedBlobsAreGoneFromTheRepository() throws Exception {
        String repo = newRepo();
        String digest = oci.pushBlob(repo, bytes("to delete"));
        assertThat(oci.delete("/v2/" + repo + "/blobs/" + digest).status()).isEqualTo(202);
        assertThat(oci.head("/v2/" + repo + "/blobs/" + digest).status()).isEqualTo(404);
        assertThat(oci.delete("/v2/" + repo + "/blobs/" + digest).status()).isEqualTo(404);
    }

    @Test
    void malformedDigestsAreDigestInvalid() throws Exception {
        String repo = newRepo();
        for (String d : List.of("sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e", "nope")) {
            Reply r = oci.get("/v2/" + repo + "/blobs/" + d);
            assertThat(r.status()).as(d).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("DIGEST_INVALID");
        }
    }

    // ---- manifests ----

    @Test
    void aDockerImageIsServedByTagAndDigestExactlyAsPushed() throws Exception {
        String repo = newRepo();
        byte[] config = bytes("{\"os\":\"linux\"}");
        byte[] layer = random(2000, 5);
        oci.pushBlob(repo, config);
        oci.pushBlob(repo, layer);
        String manifest = TestManifests.image(MediaTypes.DOCKER_MANIFEST, config, List.of(layer));
        Reply put = oci.put("/v2/" + repo + "/manifests/v1", bytes(manifest), "Content-Type", MediaTypes.DOCKER_MANIFEST);
        assertThat(put.status()).isEqualTo(201);
        String digest = Digest.sha256(bytes(manifest)).toString();
        assertThat(put.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(put.header("Location")).isEqualTo("/v2/" + repo + "/manifests/" + digest);
        for (String ref : List.of("v1", digest)) {
            Reply get = oci.get("/v2/" + repo + "/manifests/" + ref, "Accept", MediaTypes.DOCKER_MANIFEST);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.text()).isEqualTo(manifest);
            assertThat(get.header("Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
            assertThat(get.header("Docker-Content-Digest")).isEqualTo(digest);
            Reply head = oci.head("/v2/" + repo + "/manifests/" + ref);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(manifest.length()));
            assertThat(head.header("Docker-Content-Digest")).isEqualTo(digest);
        }
    }

    @Test
    void resolvingATagOrGettingAManifestIsAPullButAHeadByDigestIsNot() throws Exception {
        String repo = newRepo();
        String digest = pushImage(repo, "v1", MediaTypes.OCI_MANIFEST, 77);
        assertThat(oci.head("/v2/" + repo + "/manifests/" + digest).status()).isEqualTo(200); // a pusher's check
        assertThat(lastPull(repo)).isNull();

        assertThat(oci.head("/v2/" + repo + "/manifests/v1").status()).isEqualTo(200); // docker pull with the manifest cached
        assertThat(lastPull(repo)).isNotNull(); // recorded before the answer

        String other = newRepo();
        String otherDigest = pushImage(other, "v1", MediaTypes.OCI_MANIFEST, 78);
        assertThat(oci.get("/v2/" + other + "/manifests/" + otherDigest).status()).isEqualTo(200);
        assertThat(lastPull(other)).isNotNull();
    }

    private static com.fasterxml.jackson.databind.JsonNode lastPull(String repo) throws Exception {
        var body = io.berth.registry.RegistryJson.MAPPER.readTree(server.ecr("DescribeImages",
                "{\"repositoryName\":\"" + repo + "\"}").body());
        return body.at("/imageDetails/0").get("lastRecordedPullTime");
    }

    @Test
    void anOciManifestCanBePushedByDigest() throws Exception {
        String repo = newRepo();
        byte[] config = bytes("{\"os\":\"linux\",\"n\":2}");
        oci.pushBlob(repo, config);
        String manifest = TestManifests.image(MediaTypes.OCI_MANIFEST, config, List.of());
        String digest = Digest.sha256(bytes(manifest)).toString();
        Reply put = oci.put("/v2/" + repo + "/manifests/" + digest, bytes(manifest), "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(put.status()).isEqualTo(201);
        assertThat(oci.get("/v2/" + repo + "/manifests/" + digest).text()).isEqualTo(manifest);
        Reply mismatch = oci.put("/v2/" + repo + "/manifests/" + Digest.sha256(bytes("x")), bytes(manifest),
                "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.errorCode()).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void aManifestReferencingMissingBlobsIsRefused() throws Exception {
        String repo = newRepo();
        byte[] config = bytes("{}");
        oci.pushBlob(repo, config);
        String manifest = TestManifests.image(MediaTypes.OCI_MANIFEST, config, List.of(bytes("never pushed")));
        Reply r = oci.put("/v2/" + repo + "/manifests/latest", bytes(manifest), "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(r.json().at("/errors/0/detail/digest").asText())
                .isEqualTo(Digest.sha256(bytes("never pushed")).toString());
        assertThat(oci.get("/v2/" + repo + "/manifests/latest").status()).isEqualTo(404);
    }

    @Test
    void manifestsOverFourMebibytesAreTooLarge() throws Exception {
        String repo = newRepo();
        byte[] big = new byte[4 * 1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        Reply r = oci.put("/v2/" + repo + "/manifests/big", big, "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("SIZE_INVALID");
    }

    @Test
    void invalidManifestsAreManifestInvalid() throws Exception {
        String repo = newRepo();
        for (String body : List.of("not json", "{\"schemaVersion\":1,\"name\":\"x\"}", "[]",
                "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"}",
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example+json\",\"config\":{}}")) {
            Reply r = oci.put("/v2/" + repo + "/manifests/bad", bytes(body), "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.errorCode()).as(body).isEqualTo("MANIFEST_INVALID");
        }
    }

    @Test
    void unknownManifestsAreManifestUnknown() throws Exception {
        String repo = newRepo();
        Reply r = oci.get("/v2/" + repo + "/manifests/nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(oci.head("/v2/" + repo + "/manifests/" + Digest.sha256(bytes("x"))).status()).isEqualTo(404);
        // a reference no tag can have names nothing (the OCI conformance suite's "nonexistent manifest")
        Reply malformed = oci.get("/v2/" + repo + "/manifests/.INVALID_MANIFEST_NAME");
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(malformed.errorCode()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(oci.head("/v2/" + repo + "/manifests/.INVALID_MANIFEST_NAME").status()).isEqualTo(404);
    }

    @Test
    void aTagMovesToTheLastImagePushedWithIt() throws Exception {
        String repo = newRepo();
        String first = pushImage(repo, "latest", MediaTypes.OCI_MANIFEST, 10);
        String second = pushImage(repo, "latest", MediaTypes.OCI_MANIFEST, 11);
        assertThat(oci.head("/v2/" + repo + "/manifests/latest").header("Docker-Content-Digest")).isEqualTo(second);
        assertThat(oci.head("/v2/" + repo + "/manifests/" + first).status()).isEqualTo(200);
    }

    @Test
    void anImmutableRepositoryRefusesToMoveATag() throws Exception {
        String repo = newRepo();
        server.ecr("PutImageTagMutability", "{\"repositoryName\":\"" + repo + "\",\"imageTagMutability\":\"IMMUTABLE\"}");
        String first = pushImage(repo, "v1", MediaTypes.OCI_MANIFEST, 20);
        assertThat(pushImage(repo, first, MediaTypes.OCI_MANIFEST, 20)).isEqualTo(first);
        byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":21}");
        oci.pushBlob(repo, config);
        Reply r = oci.put("/v2/" + repo + "/manifests/v1",
                bytes(TestManifests.image(MediaTypes.OCI_MANIFEST, config, List.of())),
                "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("TAG_INVALID");
        assertThat(r.json().at("/errors/0/message").asText()).isEqualTo("The image tag 'v1' already exists in the '"
                + repo + "' repository and cannot be overwritten because the repository is immutable.");
        assertThat(oci.head("/v2/" + repo + "/manifests/v1").header("Docker-Content-Digest")).isEqualTo(first);
    }

    @Test
    void indexesAreServedWholeOrAsThePlatformManifestToClientsWithoutIndexSupport() throws Exception {
        String repo = newRepo();
        String amd = pushImage(repo, "amd64-only", MediaTypes.DOCKER_MANIFEST, 30);
        String arm = pushImage(repo, "arm64-only", MediaTypes.DOCKER_MANIFEST, 31);
        long amdSize = oci.head("/v2/" + repo + "/manifests/" + amd).header("Content-Length").length();
        String index = TestManifests.index(MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST, List.of(
                new Object[] {arm, Long.parseLong(oci.head("/v2/" + repo + "/manifests/" + arm).header("Content-Length")), "arm64"},
                new Object[] {amd, Long.parseLong(oci.head("/v2/" + repo + "/manifests/" + amd).header("Content-Length")), "amd64"}));
        assertThat(amdSize).isPositive();
        String indexDigest = oci.pushManifest(repo, "multi", index, MediaTypes.DOCKER_MANIFEST_LIST);

        Reply whole = oci.get("/v2/" + repo + "/manifests/multi",
                "Accept", MediaTypes.DOCKER_MANIFEST_LIST + ", " + MediaTypes.DOCKER_MANIFEST);
        assertThat(whole.header("Docker-Content-Digest")).isEqualTo(indexDigest);
        assertThat(whole.header("Content-Type")).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        Reply platform = oci.get("/v2/" + repo + "/manifests/multi", "Accept", MediaTypes.DOCKER_MANIFEST);
        assertThat(platform.header("Docker-Content-Digest")).isEqualTo(amd);
        assertThat(oci.get("/v2/" + repo + "/manifests/multi").header("Docker-Content-Digest")).isEqualTo(indexDigest);

        String missingChild = TestManifests.index(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
                List.<Object[]>of(new Object[] {Digest.sha256(bytes("absent")).toString(), 10, "amd64"}));
        Reply refused = oci.put("/v2/" + repo + "/manifests/broken", bytes(missingChild), "Content-Type", MediaTypes.OCI_INDEX);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("MANIFEST_BLOB_UNKNOWN");

        Reply childDelete = oci.delete("/v2/" + repo + "/manifests/" + amd);
        assertThat(childDelete.status()).isEqualTo(403);
        assertThat(childDelete.errorCode()).isEqualTo("DENIED");
    }

    @Test
    void deletingATagKeepsTheImageAndDeletingTheImageDropsItsTags() throws Exception {
        String repo = newRepo();
        String digest = pushImage(repo, "a", MediaTypes.OCI_MANIFEST, 40);
        oci.pushManifest(repo, "b", oci.get("/v2/" + repo + "/manifests/" + digest).text(), MediaTypes.OCI_MANIFEST);
        assertThat(oci.delete("/v2/" + repo + "/manifests/a").status()).isEqualTo(202);
        assertThat(oci.get("/v2/" + repo + "/manifests/a").status()).isEqualTo(404);
        assertThat(oci.get("/v2/" + repo + "/manifests/b").status()).isEqualTo(200);
        assertThat(oci.delete("/v2/" + repo + "/manifests/" + digest).status()).isEqualTo(202);
        assertThat(oci.get("/v2/" + repo + "/manifests/" + digest).status()).isEqualTo(404);
        assertThat(oci.get("/v2/" + repo + "/manifests/b").status()).isEqualTo(404);
        assertThat(oci.get("/v2/" + repo + "/tags/list").json().get("tags")).isEmpty();
        assertThat(oci.delete("/v2/" + repo + "/manifests/" + digest).errorCode()).isEqualTo("MANIFEST_UNKNOWN");
    }

    // ---- tags ----

    @Test
    void tagsListInLexicalOrderPageByPage() throws Exception {
        String repo = newRepo();
        String digest = pushImage(repo, "b", MediaTypes.OCI_MANIFEST, 50);
        String manifest = oci.get("/v2/" + repo + "/manifests/" + digest).text();
        for (String tag : List.of("a", "d", "c", "e")) {
            oci.pushManifest(repo, tag, manifest, MediaTypes.OCI_MANIFEST);
        }
        Reply all = oci.get("/v2/" + repo + "/tags/list");
        assertThat(all.json().get("name").asText()).isEqualTo(repo);
        assertThat(all.json().get("tags").toString()).isEqualTo("[\"a\",\"b\",\"c\",\"d\",\"e\"]");
        assertThat(all.header("Link")).isNull();
        Reply first = oci.get("/v2/" + repo + "/tags/list?n=2");
        assertThat(first.json().get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(first.header("Link")).isEqualTo("</v2/" + repo + "/tags/list?n=2&last=b>; rel=\"next\"");
        Reply next = oci.get("/v2/" + repo + "/tags/list?n=2&last=b");
        assertThat(next.json().get("tags").toString()).isEqualTo("[\"c\",\"d\"]");
        Reply last = oci.get("/v2/" + repo + "/tags/list?n=2&last=d");
        assertThat(last.json().get("tags").toString()).isEqualTo("[\"e\"]");
        assertThat(last.header("Link")).isNull();
        assertThat(oci.get("/v2/" + repo + "/tags/list?n=0").json().get("tags")).isEmpty();
    }

    // ---- referrers ----

    @Test
    void referrersListTheManifestsWithASubjectAndFilterByArtifactType() throws Exception {
        String repo = newRepo();
        String subject = pushImage(repo, "app", MediaTypes.OCI_MANIFEST, 60);
        long subjectSize = Long.parseLong(oci.head("/v2/" + repo + "/manifests/" + subject).header("Content-Length"));
        oci.pushBlob(repo, TestManifests.EMPTY_CONFIG);
        String sbom = TestManifests.artifact("application/vnd.example.sbom", subject, subjectSize, "sbom");
        Reply put = oci.put("/v2/" + repo + "/manifests/" + Digest.sha256(bytes(sbom)), bytes(sbom),
                "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.header("OCI-Subject")).isEqualTo(subject);
        String signature = TestManifests.artifact("application/vnd.example.signature", subject, subjectSize, "sig");
        oci.pushManifest(repo, Digest.sha256(bytes(signature)).toString(), signature, MediaTypes.OCI_MANIFEST);

        Reply all = oci.get("/v2/" + repo + "/referrers/" + subject);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.header("Content-Type")).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(all.header("OCI-Filters-Applied")).isNull();
        assertThat(all.json().get("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(all.json().get("manifests")).hasSize(2);
        var sbomEntry = all.json().get("manifests").findParents("artifactType").stream()
                .filter(n -> n.get("artifactType").asText().equals("application/vnd.example.sbom")).findFirst().orElseThrow();
        assertThat(sbomEntry.get("digest").asText()).isEqualTo(Digest.sha256(bytes(sbom)).toString());
        assertThat(sbomEntry.get("size").asLong()).isEqualTo(sbom.length());
        assertThat(sbomEntry.at("/annotations/note").asText()).isEqualTo("sbom");

        Reply filtered = oci.get("/v2/" + repo + "/referrers/" + subject + "?artifactType=application/vnd.example.signature");
        assertThat(filtered.header("OCI-Filters-Applied")).isEqualTo("artifactType");
        assertThat(filtered.json().get("manifests")).hasSize(1);
        assertThat(filtered.json().at("/manifests/0/annotations/note").asText()).isEqualTo("sig");

        Reply none = oci.get("/v2/" + repo + "/referrers/" + Digest.sha256(bytes("no subject")));
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("manifests")).isEmpty();

        oci.delete("/v2/" + repo + "/manifests/" + Digest.sha256(bytes(sbom)));
        assertThat(oci.get("/v2/" + repo + "/referrers/" + subject).json().get("manifests")).hasSize(1);
    }

    // ---- catalog and the rest ----

    @Test
    void theCatalogListsRepositories() throws Exception {
        String repo = newRepo();
        newRepo();
        Reply all = oci.get("/v2/_catalog");
        assertThat(all.json().get("repositories").toString()).contains("\"" + repo + "\"");
        Reply one = oci.get("/v2/_catalog?n=1");
        assertThat(one.json().get("repositories")).hasSize(1);
        assertThat(one.header("Link")).startsWith("</v2/_catalog?n=1&last=");
    }

    @Test
    void unsupportedMethodsAreUnsupported() throws Exception {
        String repo = newRepo();
        Reply r = oci.send("POST", "/v2/" + repo + "/manifests/x", bytes("{}"));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.errorCode()).isEqualTo("UNSUPPORTED");
        assertThat(r.json().at("/errors/0/message").asText()).isNotBlank();
    }
}
