package io.berth.agent.runtime;

/**
 * An image reference split the way the engine's pull takes it: {@code fromImage} (the repository)
 * and {@code tag} (a tag or a digest). The tag is never empty: an empty tag makes the engine pull
 * every tag of the repository.
 *
 * <pre>
 * busybox                      → busybox, latest
 * 127.0.0.1:5000/team/app:1.2  → 127.0.0.1:5000/team/app, 1.2
 * app:1@sha256:abc...          → app, sha256:abc...   (the digest wins, as in docker pull)
 * </pre>
 */
record ImageReference(String repository, String tag) {

    static ImageReference parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("empty image reference");
        }
        int at = reference.indexOf('@');
        if (at >= 0) {
            return new ImageReference(stripTag(reference.substring(0, at)), reference.substring(at + 1));
        }
        int colon = reference.lastIndexOf(':');
        if (colon > reference.lastIndexOf('/')) {
            return new ImageReference(reference.substring(0, colon), reference.substring(colon + 1));
        }
        return new ImageReference(reference, "latest");
    }

    private static String stripTag(String name) {
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }
}
