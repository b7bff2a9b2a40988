package io.berth.logs;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.ConflictException;
import java.time.Duration;
import java.util.function.Supplier;

/** Read-modify-write against the store: retried while another writer wins the race. */
public final class StoreRetry {
    /** The longest one commit of the Logs API may take. */
    public static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int ATTEMPTS = 16;

    private StoreRetry() {
    }

    /** Runs {@code attempt} until it returns without a {@link ConflictException}. */
    public static <T> T onConflict(Supplier<T> attempt) {
        ConflictException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return attempt.get();
            } catch (ConflictException e) {
                last = e;
                Thread.onSpinWait();
            }
        }
        throw new BerthException(ErrorCode.CONFLICT, "Another operation on the same resource is in progress; "
                + "try again." + (last == null ? "" : " (" + last.kind() + ")"));
    }
}
