package io.berth.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigV4VerifierTest {
    private static final String KEY = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant NOW = Instant.parse("2015-08-30T12:36:00Z");
    private final SigV4Verifier verifier = new SigV4Verifier(k -> KEY.equals(k) ? Optional.of(SECRET) : Optional.empty());

    /** AWS's published SigV4 test suite case "get-vanilla". */
    @Test
    void acceptsTheAwsTestSuiteVector() {
        SignedRequest request = request("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertThat(verifier.verify(request, NOW)).isEqualTo(new SigV4Verifier.Verified(KEY, "us-east-1", "service"));
    }

    @Test
    void refusesAModifiedSignature() {
        SignedRequest request = request("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf32");
        assertThatThrownBy(() -> verifier.verify(request, NOW))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.type()).isEqualTo("InvalidSignatureException"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "|MissingAuthenticationTokenException",
        "AWS4-HMAC-SHA256 Credential=NOPE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00|UnrecognizedClientException",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request|IncompleteSignatureException",
        "Basic dXNlcjpwYXNz|IncompleteSignatureException",
    })
    void refusesBadAuthorizationWithAwsErrorNames(String authorization, String type) {
        SignedRequest request = request(authorization);
        assertThatThrownBy(() -> verifier.verify(request, NOW))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.type()).isEqualTo(type));
    }

    @Test
    void refusesClockSkewOverFifteenMinutes() {
        SignedRequest request = request("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertThatThrownBy(() -> verifier.verify(request, NOW.plusSeconds(16 * 60)))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.type()).isEqualTo("InvalidSignatureException");
                    assertThat(e.getMessage()).startsWith("Signature expired: 20150830T123600Z is now earlier than");
                });
        assertThatThrownBy(() -> verifier.verify(request, NOW.minusSeconds(16 * 60)))
                .isInstanceOfSatisfying(AuthException.class,
                        e -> assertThat(e.getMessage()).startsWith("Signature not yet current"));
    }

    @Test
    void acceptsThePresignedQueryForm() {
        String date = "20150830T123600Z";
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"
                + "&X-Amz-Date=" + date + "&X-Amz-Expires=300&X-Amz-SignedHeaders=host";
        String canonical = "GET\n/\n" + SigV4Verifier.canonicalQuery(query, true) + "\nhost:example.amazonaws.com\n\nhost\n"
                + SigV4Verifier.sha256Hex(new byte[0]);
        String toSign = "AWS4-HMAC-SHA256\n" + date + "\n20150830/us-east-1/service/aws4_request\n"
                + SigV4Verifier.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        String signature = SigV4Verifier.sign(SECRET, "20150830", "us-east-1", "service", toSign);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("example.amazonaws.com"));
        SignedRequest request = new SignedRequest("GET", "/", query + "&X-Amz-Signature=" + signature, headers, new byte[0]);
        assertThat(verifier.verify(request, NOW.plusSeconds(60)).accessKeyId()).isEqualTo(KEY);
        assertThatThrownBy(() -> verifier.verify(request, NOW.plusSeconds(3600)))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.type()).isEqualTo("InvalidSignatureException"));
    }

    @Test
    void canonicalPathEncodesEachSegmentAgain() {
        assertThat(SigV4Verifier.canonicalPath("/")).isEqualTo("/");
        assertThat(SigV4Verifier.canonicalPath("/a%20b/c")).isEqualTo("/a%2520b/c");
        assertThat(SigV4Verifier.canonicalQuery("b=2&a=1&a=0", false)).isEqualTo("a=0&a=1&b=2");
    }

    private static SignedRequest request(String authorization) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("example.amazonaws.com"));
        headers.put("x-amz-date", List.of("20150830T123600Z"));
        if (authorization != null && !authorization.isEmpty()) {
            headers.put("authorization", List.of(authorization));
        }
        return new SignedRequest("GET", "/", null, headers, new byte[0]);
    }
}
