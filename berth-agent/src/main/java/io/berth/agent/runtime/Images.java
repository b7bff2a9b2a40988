package io.berth.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.LoadResponseItem;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import io.berth.core.runtime.ImageInfo;
import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The image half of {@link DockerEngineRuntime}: inspect, pull, load. Pull and load are streamed
 * answers (the engine reports progress, and errors, as JSON objects in a 200 response), so they run
 * on the streaming client and are aborted by closing the stream at their deadline.
 */
final class Images {
    private final DockerClient calls;
    private final DockerClient streams;
    private final EngineCalls pool;

    Images(DockerClient calls, DockerClient streams, EngineCalls pool) {
        this.calls = calls;
        this.streams = streams;
        this.pool = pool;
    }

    Optional<ImageInfo> image(String reference, Duration timeout) {
        return pool.call("inspect image " + reference, timeout, Kind.UNAVAILABLE, Kind.UNAVAILABLE, () -> {
            try {
                return Optional.of(info(calls.inspectImageCmd(reference).exec()));
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    ImageInfo pull(String reference, RegistryAuth auth, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String operation = "pull " + reference;
        ImageReference ref = ImageReference.parse(reference);
        var cmd = streams.pullImageCmd(ref.repository()).withTag(ref.tag());
        if (auth != null) {
            cmd.withAuthConfig(new AuthConfig().withRegistryAddress(auth.serverAddress())
                    .withUsername(auth.username()).withPassword(auth.password()));
        }
        Progress<PullResponseItem> progress = new Progress<>();
        cmd.exec(progress);
        progress.awaitFinished(operation, remaining(deadline), Kind.IMAGE_PULL);
        return image(reference, remaining(deadline)).orElseThrow(() -> new RuntimeFailure(Kind.IMAGE_PULL,
                operation + ": the engine reported success, but the image is not there"));
    }

    void load(InputStream tar, Duration timeout) {
        Progress<LoadResponseItem> progress = new Progress<>();
        streams.loadImageAsyncCmd(tar).exec(progress);
        progress.awaitFinished("load images", timeout, Kind.IMAGE_PULL);
    }

    private static ImageInfo info(InspectImageResponse image) {
        return new ImageInfo(image.getId(),
                image.getRepoDigests() == null ? List.of() : image.getRepoDigests(),
                image.getSize() == null ? 0 : image.getSize());
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** A progress stream whose only interest is the first error in it. */
    private static final class Progress<T extends ResponseItem> extends EngineStream<T> {
        @Override
        public void onNext(T item) {
            noteError(item);
        }
    }
}
