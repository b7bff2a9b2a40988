package io.berth.aws.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;

/**
 * One operation of a query-protocol service. The edge has verified the signature, decoded the form
 * into the operation's input shape (member names as keys, lists as arrays, numbers and booleans
 * typed) and validated it, so {@code input} is clean as for a JSON operation.
 *
 * <p>Return the output structure with the output shape's member names (never null); timestamps may
 * be epoch seconds or ISO-8601 text. Throw {@link io.berth.core.error.BerthException} for every
 * client error. Called on a virtual thread; may block.
 */
@FunctionalInterface
public interface QueryOperation {
    ObjectNode handle(RequestContext context, ObjectNode input);
}
