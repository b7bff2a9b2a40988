package io.berth.agent.engine;

import java.util.Locale;

/** When the engine pulls an image: the ECS agent's {@code ECS_IMAGE_PULL_BEHAVIOR}. */
public enum PullBehavior {
    /** Pull; if the pull fails, use the cached image when there is one. */
    DEFAULT,
    /** Pull; if the pull fails, the container fails. */
    ALWAYS,
    /** Pull only when the image is not cached. */
    ONCE,
    /** Use the cached image when there is one, else pull. */
    PREFER_CACHED;

    /** {@code default}, {@code always}, {@code once} or {@code prefer-cached} (any case, - or _). */
    public static PullBehavior parse(String text) {
        return valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The ECS agent's spelling. */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
