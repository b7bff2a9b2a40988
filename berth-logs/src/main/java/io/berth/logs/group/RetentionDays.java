package io.berth.logs.group;

import io.berth.core.error.BerthException;
import java.util.List;

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy's {@code retentionInDays}). */
public final class RetentionDays {
    public static final List<Integer> ALLOWED = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private RetentionDays() {
    }

    public static int check(int days) {
        if (!ALLOWED.contains(days)) {
            throw BerthException.invalidParameter("1 validation error detected: Value '" + days
                    + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: "
                    + ALLOWED);
        }
        return days;
    }
}
