package io.berth.agent.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.agent.logs.AwsCallException;
import io.berth.agent.logs.AwsJsonClient;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@link TokenSource} on the server's ECR API: {@code GetAuthorizationToken}, SigV4-signed with the
 * agent's access key. Thread-safe; close it to release its HTTP client.
 */
public final class EcrTokenClient implements TokenSource, AutoCloseable {
    static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921";

    private final AwsJsonClient client;

    public EcrTokenClient(URI serverUrl, String region, String accessKeyId, String secretAccessKey,
                          InstantSource clock) {
        this.client = new AwsJsonClient(serverUrl, region, accessKeyId, secretAccessKey, "ecr", TARGET_PREFIX, clock);
    }

    @Override
    public AuthorizationToken fetch(Duration timeout) {
        JsonNode out;
        try {
            out = client.call("GetAuthorizationToken", AwsJsonClient.object(), timeout);
        } catch (AwsCallException e) {
            boolean refused = e.status() / 100 == 4 && e.status() != 429 && !e.type().contains("Throttling");
            throw new RuntimeFailure(refused ? Kind.IMAGE_PULL : Kind.UNAVAILABLE,
                    "cannot get a token for Berth's registry: " + e.getMessage(), e);
        }
        return parse(out);
    }

    /** GetAuthorizationToken's answer → the token of its first entry, for every entry's proxyEndpoint. */
    static AuthorizationToken parse(JsonNode out) {
        JsonNode data = out.path("authorizationData");
        if (!data.isArray() || data.isEmpty()) {
            throw new RuntimeFailure(Kind.UNAVAILABLE, "GetAuthorizationToken answered without authorizationData");
        }
        JsonNode first = data.get(0);
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(first.path("authorizationToken").asText("")),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure(Kind.UNAVAILABLE, "GetAuthorizationToken answered a token that is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new RuntimeFailure(Kind.UNAVAILABLE, "GetAuthorizationToken answered a token without user:password");
        }
        Set<String> registries = new LinkedHashSet<>();
        for (JsonNode d : data) {
            String host = RegistryHosts.authority(d.path("proxyEndpoint").asText(null));
            if (host != null) {
                registries.add(host);
            }
        }
        return new AuthorizationToken(decoded.substring(0, colon), decoded.substring(colon + 1),
                timestamp(first.path("expiresAt")), registries);
    }

    /** An awsJson timestamp (epoch seconds, maybe with a fraction), or an ISO-8601 text. */
    private static Instant timestamp(JsonNode t) {
        if (t.isNumber()) {
            BigDecimal seconds = t.decimalValue();
            return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
        }
        if (t.isTextual()) {
            try {
                return Instant.parse(t.asText());
            } catch (RuntimeException e) {
                // fall through
            }
        }
        throw new RuntimeFailure(Kind.UNAVAILABLE, "GetAuthorizationToken answered without a valid expiresAt");
    }

    @Override
    public void close() {
        client.close();
    }
}
