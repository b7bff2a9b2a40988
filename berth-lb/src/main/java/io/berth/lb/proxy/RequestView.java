package io.berth.lb.proxy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What rule conditions look at in a request.
 *
 * @param path the path without the query, still percent-encoded as sent
 * @param host the Host header without its port, or empty
 * @param headers the values of a header by name (case-insensitive), empty when absent
 * @param query the decoded query parameters, in order
 * @param source the client's address bytes
 */
public record RequestView(String method, String path, String host, Function<String, List<String>> headers,
                          List<Map.Entry<String, String>> query, byte[] source) {
}
