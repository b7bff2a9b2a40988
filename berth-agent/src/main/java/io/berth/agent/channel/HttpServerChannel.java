package io.berth.agent.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.aws.sigv4.SigV4Signer;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.DesiredState;
import io.berth.core.agent.DesiredStateMessage;
import io.berth.core.agent.Registered;
import io.berth.core.agent.Registration;
import io.berth.core.agent.ReportAck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ServerChannel} over HTTP/1.1 to the server port ({@code java.net.http}).
 *
 * <ul>
 *   <li>{@code POST /_berth/agent/v1/register}: SigV4-signed (service {@code ecs}) with the agent's
 *       access key; the answer's token is kept for the other calls.</li>
 *   <li>{@code GET /_berth/agent/v1/desired?after=V&waitSeconds=N}: 200 with a DesiredState, or 204
 *       (nothing newer within the wait).</li>
 *   <li>{@code POST /_berth/agent/v1/report}: an AgentReport, answered with a ReportAck.</li>
 * </ul>
 * Both of the latter carry {@code Authorization: Bearer <token>}. 401 → {@link ChannelException.Kind#UNAUTHORIZED};
 * 5xx, 429, no answer → {@link ChannelException.Kind#UNAVAILABLE}; other 4xx →
 * {@link ChannelException.Kind#REJECTED}. Thread-safe.
 */
public final class HttpServerChannel implements ServerChannel {
    static final String REGISTER = "/_berth/agent/v1/register";
    static final String DESIRED = "/_berth/agent/v1/desired";
    static final String REPORT = "/_berth/agent/v1/report";
    static final String USAGE = "/_berth/agent/v1/usage";
    private static final String JSON = "application/json";

    private final URI base;
    private final String hostHeader;
    private final SigV4Signer signer;
    private final InstantSource clock;
    private final HttpClient http;
    private final boolean ownsClient;
    private volatile String token;

    /**
     * @param serverUrl the server's endpoint, e.g. {@code http://127.0.0.1:4566}
     * @param region the region requests are signed for
     */
    public HttpServerChannel(URI serverUrl, String region, String accessKeyId, String secretAccessKey,
                             InstantSource clock) {
        this(serverUrl, region, accessKeyId, secretAccessKey, clock, newClient(), true);
    }

    /**
     * A channel over a shared client (hollow fleets run thousands of channels over one client);
     * closing the channel leaves the shared client open.
     */
    public HttpServerChannel(URI serverUrl, String region, String accessKeyId, String secretAccessKey,
                             InstantSource clock, HttpClient shared) {
        this(serverUrl, region, accessKeyId, secretAccessKey, clock, shared, false);
    }

    private HttpServerChannel(URI serverUrl, String region, String accessKeyId, String secretAccessKey,
                              InstantSource clock, HttpClient http, boolean ownsClient) {
        Objects.requireNonNull(serverUrl.getHost(), "server URL without a host: " + serverUrl);
        this.base = URI.create(serverUrl.getScheme() + "://" + serverUrl.getRawAuthority());
        this.hostHeader = hostHeader(base);
        this.signer = new SigV4Signer(accessKeyId, secretAccessKey, region, "ecs");
        this.clock = Objects.requireNonNull(clock);
        this.http = http;
        this.ownsClient = ownsClient;
    }

    /** An HTTP/1.1 client as the channel needs it. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Registered register(Registration registration, Duration timeout) {
        byte[] body = write(registration);
        Map<String, String> signed = signer.sign("POST", REGISTER, null,
                Map.of("host", hostHeader, "content-type", JSON), body, clock.instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(REGISTER))
                .timeout(timeout)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEach(request::header);
        Registered registered = read(send(request.build(), timeout, "register"), Registered.class, "register");
        token = registered.token();
        return registered;
    }

    @Override
    public Optional<DesiredState> desired(long afterVersion, Duration wait, Duration timeout) {
        return desired(DESIRED + "?after=" + afterVersion + "&waitSeconds=" + Math.max(0, wait.toSeconds()), timeout);
    }

    @Override
    public Optional<DesiredState> desired(long afterVersion, String since, Duration wait, Duration timeout) {
        return desired(DESIRED + "?after=" + afterVersion + "&waitSeconds=" + Math.max(0, wait.toSeconds())
                + "&changes=true" + (since == null ? "" : "&since=" + java.net.URLEncoder.encode(since,
                java.nio.charset.StandardCharsets.UTF_8)), timeout);
    }

    private Optional<DesiredState> desired(String pathAndQuery, Duration timeout) {
        URI uri = base.resolve(pathAndQuery);
        HttpRequest request = authorized(HttpRequest.newBuilder(uri)).timeout(timeout).GET().build();
        HttpResponse<byte[]> response = send(request, timeout, "desired state");
        if (response.statusCode() == 204 || response.statusCode() == 304 || response.body().length == 0) {
            return Optional.empty();
        }
        return Optional.of(read(response, DesiredStateMessage.class, "desired state").state());
    }

    @Override
    public ReportAck report(AgentReport report, Duration timeout) {
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve(REPORT)))
                .timeout(timeout)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(write(report)))
                .build();
        return read(send(request, timeout, "report"), ReportAck.class, "report");
    }

    @Override
    public void usage(io.berth.core.agent.UsageReport report, Duration timeout) {
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve(USAGE)))
                .timeout(timeout)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(write(report)))
                .build();
        read(send(request, timeout, "usage"), com.fasterxml.jackson.databind.JsonNode.class, "usage");
    }

    /** The token of the last registration, or null. */
    public String token() {
        return token;
    }

    @Override
    public void close() {
        if (ownsClient) {
            http.shutdownNow();
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        String t = token;
        if (t == null) {
            throw new ChannelException(ChannelException.Kind.UNAUTHORIZED, "not registered yet");
        }
        return request.header("Authorization", "Bearer " + t);
    }

    private HttpResponse<byte[]> send(HttpRequest request, Duration timeout, String what) {
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ChannelException(ChannelException.Kind.UNAVAILABLE, 0, what + ": interrupted", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ChannelException(ChannelException.Kind.UNAVAILABLE, 0,
                    what + ": no answer from " + base + " within " + timeout, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ChannelException(ChannelException.Kind.UNAVAILABLE, 0,
                    what + ": cannot reach " + base + ": " + cause, cause);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300 || status == 304) {
            return response;
        }
        String message = what + ": " + status + " " + errorMessage(response.body());
        if (status == 401) {
            throw new ChannelException(ChannelException.Kind.UNAUTHORIZED, status, message, null);
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new ChannelException(ChannelException.Kind.UNAVAILABLE, status, message, null);
        }
        throw new ChannelException(ChannelException.Kind.REJECTED, status, message, null);
    }

    private static byte[] write(Object value) {
        try {
            return ChannelJson.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(HttpResponse<byte[]> response, Class<T> type, String what) {
        try {
            return ChannelJson.mapper().readValue(response.body(), type);
        } catch (IOException e) {
            throw new ChannelException(ChannelException.Kind.REJECTED, response.statusCode(),
                    what + ": the server's answer is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The {@code message} of an AWS-style error body, else the body's start. */
    static String errorMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode json = ChannelJson.mapper().readTree(text);
            if (json != null && json.isObject()) {
                String type = json.path("__type").asText("");
                String message = json.has("message") ? json.path("message").asText() : json.path("Message").asText("");
                if (!message.isEmpty()) {
                    return type.isEmpty() ? message : type.replaceFirst("^.*#", "") + ": " + message;
                }
            }
        } catch (IOException e) {
            // not JSON
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** The Host header java.net.http sends for {@code uri}: host, plus the port unless it is the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        boolean defaultPort = port == -1 || (secure ? port == 443 : port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }
}
