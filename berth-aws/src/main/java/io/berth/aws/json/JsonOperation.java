package io.berth.aws.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;

/**
 * One operation of an AWS JSON protocol service. The edge has already verified the signature,
 * parsed the body and checked it against the operation's input shape (types, required members,
 * lengths, ranges, enums), so {@code input} has the shape's member names with values of the right
 * JSON types; unknown members have been removed.
 *
 * <p>Return the output structure (never null; an empty object for operations without output).
 * Throw {@link io.berth.core.error.BerthException} for every client error.
 */
@FunctionalInterface
public interface JsonOperation {
    ObjectNode handle(RequestContext context, ObjectNode input);
}
