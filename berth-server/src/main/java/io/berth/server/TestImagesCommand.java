package io.berth.server;

import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.core.runtime.ContainerRuntime;
import io.berth.testkit.images.TestImages;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code berth test-images}: builds the small test images from local files and loads them into Docker. */
@Command(name = "test-images", mixinStandardHelpOptions = true,
        description = "Build berth-test/busybox:1, berth-test/httpd:1 and berth-test/exit:1 from this machine's "
                + "busybox-static (no network) and load them into the Docker Engine (DOCKER_HOST).")
final class TestImagesCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        try (ContainerRuntime runtime = new DockerEngineRuntime(DockerEngineRuntime.hostFromEnvironment());
             InputStream archive = TestImages.openArchive()) {
            runtime.load(archive, Duration.ofMinutes(2));
        }
        TestImages.ALL.forEach(ref -> System.out.println("loaded " + ref + " (" + TestImages.imageId(ref) + ")"));
        return 0;
    }
}
