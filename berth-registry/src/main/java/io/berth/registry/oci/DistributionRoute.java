package io.berth.registry.oci;

import io.berth.aws.http.HttpRoute;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import io.berth.registry.auth.RegistryTokens;
import io.berth.registry.blob.Digest;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.image.Images;
import io.berth.registry.layer.Layers;
import io.berth.registry.repository.Repositories;
import io.berth.registry.repository.RepositoryNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI distribution API (spec 1.1) under {@code /v2/}: authentication, then one of the endpoint
 * handlers ({@link BlobEndpoints}, {@link ManifestEndpoints}), and every failure answered in the
 * spec's error shape. Every request must carry the password of GetAuthorizationToken, as HTTP Basic
 * with user {@code AWS} or as a Bearer token; anonymous requests get 401 with a Basic challenge.
 * Called on a virtual thread; may block. Thread-safe.
 */
public final class DistributionRoute implements HttpRoute {
    private static final Logger LOG = LoggerFactory.getLogger(DistributionRoute.class);
    /** The query parameter carrying the token of a GetDownloadUrlForLayer URL. */
    public static final String DOWNLOAD_TOKEN = "X-Berth-Token";
    static final String CHALLENGE = "Basic realm=\"Berth\"";

    private final Repositories repositories;
    private final RegistryTokens tokens;
    private final BlobEndpoints blobs;
    private final ManifestEndpoints manifests;

    public DistributionRoute(Repositories repositories, Images images, Layers layers, RegistryTokens tokens) {
        this.repositories = repositories;
        this.tokens = tokens;
        this.blobs = new BlobEndpoints(repositories, layers);
        this.manifests = new ManifestEndpoints(repositories, images);
    }

    @Override
    public String pathPrefix() {
        return "/v2/";
    }

    @Override
    public void handle(Request request, Response response, Callback callback) {
        Exchange x = new Exchange(request, response, callback);
        try {
            OciPath path = OciPath.parse(request.getHttpURI().getPath());
            if (!authenticated(x, path)) {
                x.header("WWW-Authenticate", CHALLENGE);
                x.error(OciErrors.UNAUTHORIZED, "authentication required", null);
                return;
            }
            dispatch(x, path);
        } catch (RegistryException e) {
            answer(x, OciErrors.of(e.error()), e.getMessage(), e.detail());
        } catch (BerthException e) {
            if (e.code() == ErrorCode.INTERNAL) {
                LOG.error("{} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            }
            answer(x, e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.CONFLICT ? OciErrors.UNKNOWN
                    : new OciErrors.OciError("UNSUPPORTED", 400), e.getMessage(), null);
        } catch (Exception | StackOverflowError e) {
            LOG.error("{} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            answer(x, OciErrors.UNKNOWN, "internal error", null);
        }
    }

    private static void answer(Exchange x, OciErrors.OciError error, String message, Object detail) {
        if (x.answered()) {
            return; // a stream failed midway; the callback already knows
        }
        x.error(error, message, detail);
    }

    private void dispatch(Exchange x, OciPath path) throws Exception {
        String method = x.method();
        switch (path.kind()) {
            case BASE -> {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    unsupported(x);
                    return;
                }
                x.body(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            }
            case CATALOG -> manifests.catalog(x);
            case UNKNOWN -> x.error(new OciErrors.OciError("NOT_FOUND", 404), "no such endpoint", null);
            default -> {
                if (!RepositoryNames.valid(path.name())) {
                    throw new RegistryException(RegistryError.NAME_INVALID, "invalid repository name",
                            Map.of("name", path.name()));
                }
                repositories.require(path.name());
                switch (path.kind()) {
                    case MANIFEST -> {
                        switch (method) {
                            case "GET", "HEAD" -> manifests.get(x, path.name(), path.reference());
                            case "PUT" -> manifests.put(x, path.name(), path.reference());
                            case "DELETE" -> manifests.delete(x, path.name(), path.reference());
                            default -> unsupported(x);
                        }
                    }
                    case BLOB -> {
                        switch (method) {
                            case "GET", "HEAD" -> blobs.get(x, path.name(), digest(path.reference()));
                            case "DELETE" -> blobs.delete(x, path.name(), digest(path.reference()));
                            default -> unsupported(x);
                        }
                    }
                    case UPLOADS -> {
                        if (method.equals("POST")) {
                            blobs.startOrMount(x, path.name());
                        } else {
                            unsupported(x);
                        }
                    }
                    case UPLOAD -> {
                        switch (method) {
                            case "GET" -> blobs.status(x, path.name(), path.reference());
                            case "PATCH" -> blobs.patch(x, path.name(), path.reference());
                            case "PUT" -> blobs.finish(x, path.name(), path.reference());
                            case "DELETE" -> blobs.cancel(x, path.name(), path.reference());
                            default -> unsupported(x);
                        }
                    }
                    case TAGS -> {
                        if (method.equals("GET")) {
                            manifests.tags(x, path.name());
                        } else {
                            unsupported(x);
                        }
                    }
                    case REFERRERS -> {
                        if (method.equals("GET")) {
                            manifests.referrers(x, path.name(), digest(path.reference()));
                        } else {
                            unsupported(x);
                        }
                    }
                    default -> unsupported(x);
                }
            }
        }
    }

    static Digest digest(String text) {
        return Digest.tryParse(text).orElseThrow(() -> new RegistryException(RegistryError.DIGEST_INVALID,
                "invalid digest: " + text, Map.of("digest", text)));
    }

    private static void unsupported(Exchange x) {
        x.error(OciErrors.UNSUPPORTED, "the operation is unsupported", null);
    }

    private boolean authenticated(Exchange x, OciPath path) {
        String authorization = x.header("Authorization");
        Optional<RegistryTokens.Verified> verified = Optional.empty();
        if (authorization != null) {
            String a = authorization.trim();
            if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(a.substring(6).trim()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon > 0 && decoded.substring(0, colon).equals("AWS")) {
                        verified = tokens.verify(decoded.substring(colon + 1));
                    }
                } catch (IllegalArgumentException ignored) {
                    // not base64: unauthenticated
                }
            } else if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                verified = tokens.verify(a.substring(7).trim());
            }
            return verified.filter(v -> v.allows(RegistryTokens.ANY_SCOPE)).isPresent();
        }
        String download = x.query(DOWNLOAD_TOKEN);
        if (download != null && path.kind() == OciPath.Kind.BLOB
                && (x.method().equals("GET") || x.method().equals("HEAD"))) {
            return tokens.verify(download).filter(v -> v.allows(path.name() + "@" + path.reference())).isPresent();
        }
        return false;
    }
}
