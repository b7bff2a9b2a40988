package io.berth.lb.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * One HTTP health check: {@code GET path} with the group's timeout, judged by its matcher. A check
 * that times out fails with {@code Target.Timeout}, one answered with another code with
 * {@code Target.ResponseCodeMismatch}, one that cannot connect with {@code Target.FailedHealthChecks}.
 * Thread-safe.
 */
public final class HealthProbe implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    /** Completes with null when healthy, else with the unhealthy health found; never exceptionally. */
    public CompletableFuture<TargetHealth> check(String host, int port, String path, Duration timeout,
                                                 java.util.function.IntPredicate matcher) {
        URI uri;
        try {
            uri = new URI("http", null, host, port, path, null, null);
        } catch (java.net.URISyntaxException e) {
            return CompletableFuture.completedFuture(TargetHealth.failed());
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("User-Agent", "ELB-HealthChecker/2.0").build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .orTimeout(timeout.toMillis() + 100, java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error == null) {
                        return matcher.test(response.statusCode()) ? null
                                : TargetHealth.responseCodeMismatch(response.statusCode());
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)
                            || cause instanceof java.util.concurrent.TimeoutException) {
                        return TargetHealth.timeout();
                    }
                    return TargetHealth.failed();
                });
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
