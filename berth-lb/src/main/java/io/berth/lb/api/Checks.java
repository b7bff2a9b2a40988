package io.berth.lb.api;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.lb.LbError;
import io.berth.lb.model.Tag;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The semantic checks ELBv2 makes beyond the model's constraints, in its words. */
final class Checks {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?");
    static final int MAX_TAGS = 50;

    private Checks() {
    }

    static void loadBalancerName(String name) {
        if (!NAME.matcher(name).matches() || name.startsWith("internal-")) {
            throw new BerthException(ErrorCode.VALIDATION, "The load balancer name '" + name + "' is not valid: "
                    + "it must be at most 32 alphanumeric characters or hyphens, must not begin or end with a "
                    + "hyphen and must not begin with 'internal-'");
        }
    }

    static void targetGroupName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new BerthException(ErrorCode.VALIDATION, "The target group name '" + name + "' is not valid: "
                    + "it must be at most 32 alphanumeric characters or hyphens, and must not begin or end with a "
                    + "hyphen");
        }
    }

    static void tags(List<Tag> tags) {
        Set<String> keys = new HashSet<>();
        for (Tag t : tags) {
            if (!keys.add(t.key())) {
                throw LbError.DUPLICATE_TAG_KEYS.exception("Tag key '" + t.key() + "' is duplicated");
            }
            if (t.key().startsWith("aws:")) {
                throw new BerthException(ErrorCode.VALIDATION, "Tag keys starting with 'aws:' are reserved");
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw LbError.TOO_MANY_TAGS.exception("You cannot have more than " + MAX_TAGS + " tags per resource");
        }
    }

    static int pageSize(Integer requested) {
        return requested == null ? 400 : requested;
    }
}
