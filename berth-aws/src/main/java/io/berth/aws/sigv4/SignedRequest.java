package io.berth.aws.sigv4;

import java.util.List;
import java.util.Map;

/**
 * What SigV4 covers of an HTTP request.
 *
 * @param method the HTTP method
 * @param rawPath the path exactly as sent (still percent-encoded)
 * @param rawQuery the query string exactly as sent, without '?', or null
 * @param headers header values by lower-case name, in the order received
 * @param body the request body
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                            byte[] body) {

    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
