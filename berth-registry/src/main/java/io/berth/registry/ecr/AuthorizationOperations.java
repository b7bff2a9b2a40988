package io.berth.registry.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.registry.RegistryJson;
import io.berth.registry.auth.RegistryTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** GetAuthorizationToken: a 12-hour password for {@code docker login -u AWS}, as base64 {@code AWS:<password>}. */
public final class AuthorizationOperations {
    public static final Duration TOKEN_TTL = Duration.ofHours(12);

    private final RegistryTokens tokens;
    private final String registryId;
    private final java.util.function.Supplier<String> registryHost;

    public AuthorizationOperations(RegistryTokens tokens, String registryId,
                                   java.util.function.Supplier<String> registryHost) {
        this.tokens = tokens;
        this.registryId = registryId;
        this.registryHost = registryHost;
    }

    public ObjectNode getAuthorizationToken(RequestContext ctx, ObjectNode in) {
        RegistryTokens.Issued issued = tokens.issue(ctx.accessKeyId(), TOKEN_TTL, RegistryTokens.ANY_SCOPE);
        String token = Base64.getEncoder().encodeToString(("AWS:" + issued.password()).getBytes(StandardCharsets.UTF_8));
        List<String> ids = new ArrayList<>();
        JsonNode requested = in.get("registryIds");
        if (requested != null && !requested.isNull()) {
            requested.forEach(r -> ids.add(r.asText()));
        } else {
            ids.add(registryId);
        }
        ObjectNode out = RegistryJson.object();
        ArrayNode data = out.putArray("authorizationData");
        for (String ignored : ids) {
            ObjectNode d = data.addObject().put("authorizationToken", token);
            d.set("expiresAt", RegistryJson.timestamp(issued.expiresAt()));
            d.put("proxyEndpoint", "http://" + registryHost.get());
        }
        return out;
    }
}
