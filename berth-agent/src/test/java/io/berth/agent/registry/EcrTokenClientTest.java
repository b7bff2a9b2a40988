package io.berth.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.runtime.RuntimeFailure;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EcrTokenClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void getAuthorizationTokensAnswerIsTheDecodedUserAndPasswordForEveryProxyEndpoint() throws Exception {
        String token = java.util.Base64.getEncoder().encodeToString("AWS:v1.key.123.abc:def".getBytes());
        var out = JSON.readTree("{\"authorizationData\":[{\"authorizationToken\":\"" + token + "\","
                + "\"expiresAt\":1795000000.5,\"proxyEndpoint\":\"http://127.0.0.1:4566\"},"
                + "{\"authorizationToken\":\"" + token + "\",\"expiresAt\":1795000000.5,"
                + "\"proxyEndpoint\":\"https://Berth.Example:443\"}]}");

        AuthorizationToken parsed = EcrTokenClient.parse(out);

        assertThat(parsed.username()).isEqualTo("AWS");
        assertThat(parsed.password()).isEqualTo("v1.key.123.abc:def");
        assertThat(parsed.expiresAt()).isEqualTo(Instant.ofEpochMilli(1_795_000_000_500L));
        assertThat(parsed.registries()).isEqualTo(Set.of("127.0.0.1:4566", "berth.example:443"));
        assertThat(parsed.toString()).doesNotContain("v1.key");
    }

    @Test
    void anAnswerWithoutATokenIsAFailureToTryAgain() throws Exception {
        assertThatThrownBy(() -> EcrTokenClient.parse(JSON.readTree("{\"authorizationData\":[]}")))
                .isInstanceOfSatisfying(RuntimeFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.UNAVAILABLE));
        assertThatThrownBy(() -> EcrTokenClient.parse(JSON.readTree("{\"authorizationData\":[{\"authorizationToken\":"
                + "\"bm9jb2xvbg==\",\"expiresAt\":1}]}")))
                .isInstanceOf(RuntimeFailure.class);
    }
}
