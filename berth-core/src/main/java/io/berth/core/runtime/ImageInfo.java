package io.berth.core.runtime;

import java.util.List;

/** A local image: its id (config digest), repo digests and size in bytes. */
public record ImageInfo(String id, List<String> repoDigests, long sizeBytes) {
    public ImageInfo {
        repoDigests = List.copyOf(repoDigests);
    }
}
