package io.berth.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.testkit.images.TestImages;
import java.io.InputStream;
import java.time.Duration;

/**
 * The Docker Engine the ITs run on ({@code DOCKER_HOST}, else the default socket), with the test
 * images loaded. Where none answers the calling test is skipped, or failed with
 * {@code -Dberth.requireDocker=true} (as {@code bin/test} runs them).
 */
final class TestEngine {
    private TestEngine() {
    }

    /** An open runtime on the engine, the test images loaded; the caller closes it. */
    static DockerEngineRuntime open() throws Exception {
        DockerEngineRuntime runtime = new DockerEngineRuntime(DockerEngineRuntime.hostFromEnvironment());
        try {
            runtime.host(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            runtime.close();
            String why = "no Docker Engine answers at " + DockerEngineRuntime.hostFromEnvironment() + ": " + e.getMessage();
            if (Boolean.getBoolean("berth.requireDocker")) {
                fail(why + " (and berth.requireDocker=true)");
            }
            assumeTrue(false, why);
        }
        try (InputStream images = TestImages.openArchive()) {
            runtime.load(images, Duration.ofMinutes(2));
        } catch (Exception | Error e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }
}
