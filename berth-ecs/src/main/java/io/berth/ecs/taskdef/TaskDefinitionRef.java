package io.berth.ecs.taskdef;

import io.berth.core.arn.Account;
import io.berth.core.arn.Arn;
import io.berth.core.error.BerthException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A reference to a task definition as the API takes it: {@code family}, {@code family:revision}, or
 * the full ARN ({@code arn:aws:ecs:us-east-1:123456789012:task-definition/family:revision}).
 *
 * @param revision empty for a bare family (meaning its latest ACTIVE revision where that is allowed)
 */
public record TaskDefinitionRef(String family, OptionalInt revision) {
    public TaskDefinitionRef {
        Objects.requireNonNull(family);
        Objects.requireNonNull(revision);
    }

    /**
     * Reads {@code text}. Empty when it cannot name a task definition of {@code account}: an ARN of
     * another account, region, service or resource type, or a family with characters no family has.
     *
     * @throws BerthException InvalidParameterException when the revision is not a positive number
     */
    public static Optional<TaskDefinitionRef> parse(String text, Account account) {
        String id = text;
        if (text.startsWith("arn:")) {
            Optional<Arn> arn = Arn.parse(text);
            if (arn.isEmpty() || !arn.get().service().equals("ecs")
                    || !arn.get().resourceType().equals("task-definition")
                    || !arn.get().account().equals(account.accountId())
                    || !arn.get().region().equals(account.region())
                    || !arn.get().partition().equals(account.partition())) {
                return Optional.empty();
            }
            id = arn.get().resourceId();
        }
        int colon = id.lastIndexOf(':');
        String family = colon < 0 ? id : id.substring(0, colon);
        if (family.length() > TaskDefinitionValidator.MAX_NAME
                || !TaskDefinitionValidator.NAME.matcher(family).matches()) {
            return Optional.empty();
        }
        if (colon < 0) {
            return Optional.of(new TaskDefinitionRef(family, OptionalInt.empty()));
        }
        return Optional.of(new TaskDefinitionRef(family, OptionalInt.of(revision(id.substring(colon + 1)))));
    }

    private static int revision(String text) {
        try {
            int revision = Integer.parseInt(text);
            if (revision > 0) {
                return revision;
            }
        } catch (NumberFormatException e) {
            // not a number: refused below
        }
        throw BerthException.invalidParameter("Invalid revision number. Number: " + text);
    }
}
