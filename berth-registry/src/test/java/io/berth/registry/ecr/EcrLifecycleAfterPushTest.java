package io.berth.registry.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.registry.OciClient;
import io.berth.registry.RegistryApi;
import io.berth.registry.RegistryServer;
import io.berth.testkit.store.InMemoryStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lifecycle policies are enforced shortly after a push, not only on schedule (here: hourly). */
class EcrLifecycleAfterPushTest extends EcrApiSupport {
    private static final String KEEP_TWO = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\","
            + "\"countType\":\"imageCountMoreThan\",\"countNumber\":2},\"action\":{\"type\":\"expire\"}}]}";

    /** Hides {@link EcrApiSupport#start()}: a registry that enforces 200 ms after a push. */
    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("berth-registry-");
        server = RegistryServer.start(new InMemoryStateStore(), dir.resolve("blobs"), InstantSource.system(),
                RegistryApi.Settings.defaults().withLifecycleInterval(Duration.ofHours(1))
                        .withLifecycleAfterPush(Duration.ofMillis(200)));
        oci = OciClient.loggedIn(server);
    }

    private static List<String> tags(String repo) throws Exception {
        List<String> tags = new ArrayList<>();
        for (JsonNode id : ok("ListImages", "{\"repositoryName\":\"" + repo + "\"}").get("imageIds")) {
            tags.add(id.path("imageTag").asText(null));
        }
        return tags;
    }

    @Test
    void aPushExpiresWhatThePolicyNoLongerKeepsWithoutWaitingForTheSchedule() throws Exception {
        String repo = newRepo();
        String unmanaged = newRepo();
        ok("PutLifecyclePolicy", "{\"repositoryName\":\"" + repo + "\",\"lifecyclePolicyText\":" + quote(KEEP_TWO)
                + "}");
        for (int i = 1; i <= 3; i++) {
            putImage(unmanaged, manifestWith(unmanaged, 500 + i), "v" + i);
            putImage(repo, manifestWith(repo, 600 + i), "v" + i);
            Thread.sleep(5); // distinct push times
        }

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> tags(repo).size() == 2);
        assertThat(tags(repo)).containsExactlyInAnyOrder("v2", "v3");
        assertThat(ok("GetLifecyclePolicy", "{\"repositoryName\":\"" + repo + "\"}").get("lastEvaluatedAt").isNumber())
                .isTrue();
        assertThat(tags(unmanaged)).containsExactlyInAnyOrder("v1", "v2", "v3");
    }
}
