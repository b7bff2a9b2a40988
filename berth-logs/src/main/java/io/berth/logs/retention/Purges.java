package io.berth.logs.retention;

import io.berth.core.store.Mutation;
import java.nio.charset.StandardCharsets;

/**
 * Deletions still to carry out (kind {@code logs.purge}): a deleted group's streams and events
 * ({@code group:<group id>}) or a deleted stream's events ({@code stream:<stream id>}). Filed in the
 * transaction that deletes the group or stream record, carried out by the {@link LogsJanitor}.
 */
public final class Purges {
    public static final String KIND = "logs.purge";
    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    private Purges() {
    }

    public static Mutation ofGroup(String groupId) {
        return new Mutation.Put(KIND, "group:" + groupId, Mutation.ANY, EMPTY);
    }

    public static Mutation ofStream(String streamId) {
        return new Mutation.Put(KIND, "stream:" + streamId, Mutation.ANY, EMPTY);
    }
}
