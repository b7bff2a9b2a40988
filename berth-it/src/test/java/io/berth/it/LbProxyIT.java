package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The data plane: requests through a listener to small Jetty backends on 127.0.0.1, configured with
 * the AWS SDK. Health checks run 20 times faster than configured (an interval of 5 s is 250 ms).
 */
class LbProxyIT {
    private static LbApiIT.Fixture fixture;
    private static ElasticLoadBalancingV2Client elb;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        fixture = new LbApiIT.Fixture();
        elb = fixture.client(LbApiIT.SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        elb.close();
        fixture.close();
    }

    @AfterEach
    void closeBackends() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A Jetty backend: answers its name, reports the forwarded headers, and /health, /slow, /status on demand. */
    static final class Backend implements AutoCloseable {
        final String name;
        final Server server = new Server();
        final ServerConnector connector = new ServerConnector(server);
        final AtomicInteger health = new AtomicInteger(200);
        final AtomicInteger healthDelayMs = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

        Backend(String name) throws Exception {
            this.name = name;
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    String path = request.getHttpURI().getPath();
                    if (path.equals("/health")) {
                        Thread.sleep(healthDelayMs.get());
                        response.setStatus(health.get());
                        callback.succeeded();
                        return true;
                    }
                    requests.incrementAndGet();
                    clientPorts.add(Request.getRemotePort(request));
                    // Read the whole body first, as a real application does: answering before the
                    // proxy finished sending, then closing with unread bytes, resets the connection.
                    org.eclipse.jetty.io.Content.Source.consumeAll(request);
                    String query = request.getHttpURI().getQuery();
                    if (path.equals("/slow")) {
                        Thread.sleep(Long.parseLong(query.substring(query.indexOf('=') + 1)));
                    }
                    if (path.startsWith("/status/")) {
                        response.setStatus(Integer.parseInt(path.substring(8)));
                    }
                    response.getHeaders().put("X-Backend", name);
                    for (String h : List.of("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port", "Host",
                            "X-Amzn-Trace-Id")) {
                        String v = request.getHeaders().get(h);
                        if (v != null) {
                            response.getHeaders().put("Seen-" + h, v);
                        }
                    }
                    response.write(true, ByteBuffer.wrap((name + " " + path).getBytes(StandardCharsets.UTF_8)),
                            callback);
                    return true;
                }
            });
            server.start();
        }

        int port() {
            return connector.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }

    private Backend backend(String name) throws Exception {
        Backend b = new Backend(name);
        cleanup.add(b);
        return b;
    }

    /** A load balancer with one listener forwarding to a new ip target group of {@code backends}. */
    private record Setup(String lbArn, String tgArn, String listenerArn, int port) {
    }

    private Setup setup(Backend... backends) throws Exception {
        String n = "p" + NAMES.incrementAndGet();
        String lbArn = elb.createLoadBalancer(b -> b.name(n)).loadBalancers().get(0).loadBalancerArn();
        String tgArn = elb.createTargetGroup(b -> b.name(n).protocol(ProtocolEnum.HTTP).port(80)
                .targetType(TargetTypeEnum.IP).healthCheckPath("/health").healthCheckIntervalSeconds(5)
                .healthCheckTimeoutSeconds(2).healthyThresholdCount(2).unhealthyThresholdCount(2))
                .targetGroups().get(0).targetGroupArn();
        for (Backend backend : backends) {
            elb.registerTargets(b -> b.targetGroupArn(tgArn).targets(t -> t.id("127.0.0.1").port(backend.port())));
        }
        int port = LbApiIT.Fixture.freePort();
        String listenerArn = elb.createListener(b -> b.loadBalancerArn(lbArn).protocol(ProtocolEnum.HTTP).port(port)
                .defaultActions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(tgArn).build()))
                .listeners().get(0).listenerArn();
        fixture.lb.dataPlane().refresh();
        cleanup.add(0, () -> {
            elb.deleteLoadBalancer(b -> b.loadBalancerArn(lbArn));
            fixture.lb.dataPlane().refresh();
        });
        return new Setup(lbArn, tgArn, listenerArn, port);
    }

    /** One request on its own connection: status, headers (lower-case names) and body. */
    record Reply(int status, Map<String, String> headers, String body) {
    }

    static Reply get(int port, String path, String... headers) throws IOException {
        return request(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + String.join("", headers)
                + "Connection: close\r\n\r\n");
    }

    static Reply request(int port, String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                h.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
            }
            String body = text.substring(end + 4);
            if ("chunked".equals(h.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Reply(Integer.parseInt(lines[0].split(" ")[1]), h, body);
        }
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int nl = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, nl).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, nl + 2, nl + 2 + size);
            i = nl + 2 + size + 2;
        }
    }

    @Test
    void forwardsOverPooledKeepAliveConnectionsWithForwardedHeaders() throws Exception {
        Backend a = backend("a");
        Setup s = setup(a);
        Reply reply = get(s.port(), "/hello", "X-Forwarded-For: 10.1.2.3\r\n");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("a /hello");
        assertThat(reply.headers()).containsEntry("seen-x-forwarded-for", "10.1.2.3, 127.0.0.1")
                .containsEntry("seen-x-forwarded-proto", "http")
                .containsEntry("seen-x-forwarded-port", Integer.toString(s.port()))
                .containsEntry("seen-host", "localhost");
        assertThat(reply.headers().get("seen-x-amzn-trace-id")).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24}");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/k" + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("a /k" + i);
        }
        HttpResponse<String> posted = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                + "/post")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(a.clientPorts).as("upstream connections reused").hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void roundRobinAndLeastOutstandingRequestsSpreadTheLoad() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Setup s = setup(a, b);
        for (int i = 0; i < 10; i++) {
            assertThat(get(s.port(), "/rr").status()).isEqualTo(200);
        }
        // 5 and 5; one more on either side when a pooled connection the backend closed is retried
        assertThat(a.requests.get()).isBetween(5, 6);
        assertThat(b.requests.get()).isBetween(5, 6);
        int before = a.requests.get() + b.requests.get();
        int aBefore = a.requests.get();

        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(s.tgArn()).attributes(TargetGroupAttribute.builder()
                .key("load_balancing.algorithm.type").value("least_outstanding_requests").build()));
        fixture.lb.dataPlane().refresh();
        CompletableFuture<Reply> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get(s.port(), "/slow?ms=5000");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> a.requests.get() + b.requests.get() == before + 1);
        String busy = a.requests.get() > aBefore ? "a" : "b";
        for (int i = 0; i < 6; i++) {
            assertThat(get(s.port(), "/quick").headers().get("x-backend")).isNotEqualTo(busy);
        }
        assertThat(slow.get().status()).isEqualTo(200);
    }

    @Test
    void answersAlbErrorsWhenTargetsFail() throws Exception {
        Setup empty = setup();
        assertThat(get(empty.port(), "/").status()).as("no registered target").isEqualTo(503);
        assertThat(get(empty.port(), "/").headers()).containsEntry("server", "awselb/2.0");

        int closed = LbApiIT.Fixture.freePort();
        elb.registerTargets(b -> b.targetGroupArn(empty.tgArn()).targets(t -> t.id("127.0.0.1").port(closed)));
        fixture.lb.dataPlane().refresh();
        assertThat(get(empty.port(), "/").status()).as("connection refused").isEqualTo(502);
        elb.deregisterTargets(b -> b.targetGroupArn(empty.tgArn()).targets(t -> t.id("127.0.0.1").port(closed)));

        try (ServerSocket garbage = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (Socket c = garbage.accept()) {
                        c.getInputStream().read(new byte[4096]);
                        c.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            elb.registerTargets(b -> b.targetGroupArn(empty.tgArn()).targets(t -> t.id("127.0.0.1")
                    .port(garbage.getLocalPort())));
            fixture.lb.dataPlane().refresh();
            assertThat(get(empty.port(), "/").status()).as("malformed response").isEqualTo(502);
            elb.deregisterTargets(b -> b.targetGroupArn(empty.tgArn()).targets(t -> t.id("127.0.0.1")
                    .port(garbage.getLocalPort())));
        }

        Backend slow = backend("slow");
        Setup s = setup(slow);
        elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(s.lbArn()).attributes(LoadBalancerAttribute.builder()
                .key("idle_timeout.timeout_seconds").value("1").build()));
        fixture.lb.dataPlane().refresh();
        long start = System.nanoTime();
        assertThat(get(s.port(), "/slow?ms=3000").status()).as("target slower than the idle timeout").isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofMillis(2900));
        assertThat(get(s.port(), "/status/418").status()).as("target errors pass through").isEqualTo(418);

        try (Socket idle = new Socket("127.0.0.1", s.port())) {
            idle.setSoTimeout(5000);
            long opened = System.nanoTime();
            assertThat(idle.getInputStream().read()).as("idle client connection closed").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofMillis(3000));
        }
    }

    @Test
    void rulesRouteByPathHostHeaderQueryAndMethodInPriorityOrder() throws Exception {
        Backend a = backend("a");
        Backend api = backend("api");
        Setup s = setup(a);
        String apiTg = elb.createTargetGroup(b -> b.name("api-" + NAMES.incrementAndGet()).protocol(ProtocolEnum.HTTP)
                .port(api.port()).targetType(TargetTypeEnum.IP)).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(b -> b.targetGroupArn(apiTg).targets(t -> t.id("127.0.0.1")));
        elb.createRule(b -> b.listenerArn(s.listenerArn()).priority(20)
                .conditions(RuleCondition.builder().field("path-pattern").values("/api/*").build())
                .actions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(apiTg).build()));
        elb.createRule(b -> b.listenerArn(s.listenerArn()).priority(10)
                .conditions(RuleCondition.builder().field("path-pattern").values("/api/admin*").build())
                .actions(LbApiIT.fixed("admin is closed")));
        elb.createRule(b -> b.listenerArn(s.listenerArn()).priority(30)
                .conditions(RuleCondition.builder().field("host-header").values("old.example.*").build())
                .actions(Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(r -> r.host("new.example.com")
                        .path("/moved/#{path}").query("from=old&#{query}")
                        .statusCode(RedirectActionStatusCodeEnum.HTTP_301)).build()));
        elb.createRule(b -> b.listenerArn(s.listenerArn()).priority(40)
                .conditions(RuleCondition.builder().field("http-header").httpHeaderConfig(h -> h.httpHeaderName("X-Beta")
                        .values("y*")).build())
                .actions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(apiTg).build()));
        elb.createRule(b -> b.listenerArn(s.listenerArn()).priority(50)
                .conditions(RuleCondition.builder().field("query-string").queryStringConfig(q -> q.values(
                                software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringKeyValuePair
                                        .builder().key("version").value("2").build())).build(),
                        RuleCondition.builder().field("http-request-method").httpRequestMethodConfig(m -> m
                                .values("DELETE")).build())
                .actions(Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f
                        .statusCode("403").contentType("application/json").messageBody("{\"no\":true}")).build()));
        elb.createRule(b -> b.listenerArn(s.listenerArn()).priority(60)
                .conditions(RuleCondition.builder().field("source-ip").sourceIpConfig(c -> c.values("10.0.0.0/8"))
                        .build())
                .actions(LbApiIT.fixed("from ten")));
        fixture.lb.dataPlane().refresh();

        assertThat(get(s.port(), "/").body()).isEqualTo("a /");
        assertThat(get(s.port(), "/api/users").body()).isEqualTo("api /api/users");
        Reply admin = get(s.port(), "/api/admin/x");
        assertThat(admin.body()).isEqualTo("admin is closed");
        assertThat(admin.headers().get("content-type")).startsWith("text/plain");
        Reply moved = request(s.port(), "GET /a/b?x=1 HTTP/1.1\r\nHost: old.example.org\r\nConnection: close\r\n\r\n");
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.headers()).containsEntry("location", "http://new.example.com:" + s.port()
                + "/moved/a/b?from=old&x=1");
        assertThat(get(s.port(), "/beta", "X-Beta: yes\r\n").body()).isEqualTo("api /beta");
        assertThat(get(s.port(), "/beta", "X-Beta: no\r\n").body()).isEqualTo("a /beta");
        Reply denied = request(s.port(), "DELETE /thing?version=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("{\"no\":true}");
        assertThat(request(s.port(), "DELETE /thing?version=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").body())
                .isEqualTo("a /thing");
    }

    private List<TargetHealthDescription> health(String tgArn) {
        return elb.describeTargetHealth(b -> b.targetGroupArn(tgArn)).targetHealthDescriptions();
    }

    private String state(String tgArn, int port) {
        return health(tgArn).stream().filter(d -> d.target().port() == port).findFirst()
                .map(d -> d.targetHealth().stateAsString() + "/" + d.targetHealth().reasonAsString()).orElse("absent");
    }

    @Test
    void healthChecksTakeTargetsOutAndPutThemBackAndFailOpen() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Setup s = setup(a, b);
        assertThat(state(s.tgArn(), a.port())).startsWith("initial/");
        await().atMost(Duration.ofSeconds(10)).until(() -> state(s.tgArn(), a.port()).equals("healthy/null")
                && state(s.tgArn(), b.port()).equals("healthy/null"));

        b.health.set(500);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(s.tgArn(), b.port())
                .equals("unhealthy/Target.ResponseCodeMismatch"));
        assertThat(health(s.tgArn()).stream().filter(d -> d.target().port() == b.port()).findFirst().orElseThrow()
                .targetHealth().description()).isEqualTo("Health checks failed with these codes: [500]");
        int before = b.requests.get();
        for (int i = 0; i < 8; i++) {
            assertThat(get(s.port(), "/").body()).isEqualTo("a /");
        }
        assertThat(b.requests.get()).isEqualTo(before);

        a.healthDelayMs.set(1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(s.tgArn(), a.port()).equals("unhealthy/Target.Timeout"));
        Set<String> served = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 8; i++) {
            served.add(get(s.port(), "/").headers().get("x-backend"));
        }
        assertThat(served).as("no healthy target: fail open to all").containsExactlyInAnyOrder("a", "b");

        a.healthDelayMs.set(0);
        b.health.set(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> state(s.tgArn(), b.port()).equals("healthy/null")
                && state(s.tgArn(), a.port()).equals("healthy/null"));
        int bPort = b.port();
        b.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(state(s.tgArn(), bPort))
                .isEqualTo("unhealthy/Target.FailedHealthChecks"));
    }

    @Test
    void drainingTargetsFinishInFlightRequestsAndGetNoNewOnes() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Setup s = setup(a, b);
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(s.tgArn()).attributes(TargetGroupAttribute.builder()
                .key("deregistration_delay.timeout_seconds").value("5").build()));
        List<CompletableFuture<Reply>> inFlight = new ArrayList<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < 4; i++) {
            inFlight.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get(s.port(), "/slow?ms=3000");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, clients));
        }
        await().until(() -> a.requests.get() == 2 && b.requests.get() == 2);
        elb.deregisterTargets(r -> r.targetGroupArn(s.tgArn()).targets(t -> t.id("127.0.0.1").port(a.port())));
        fixture.lb.dataPlane().refresh();
        assertThat(state(s.tgArn(), a.port())).isEqualTo("draining/Target.DeregistrationInProgress");
        for (int i = 0; i < 6; i++) {
            assertThat(get(s.port(), "/new").headers().get("x-backend")).isEqualTo("b");
        }
        for (CompletableFuture<Reply> f : inFlight) {
            assertThat(f.get().status()).isEqualTo(200);
        }
        clients.close();
        await().atMost(Duration.ofSeconds(15)).until(() -> state(s.tgArn(), a.port()).equals("absent"));
        assertThat(elb.describeTargetHealth(r -> r.targetGroupArn(s.tgArn()).targets(t -> t.id("127.0.0.1")
                .port(a.port()))).targetHealthDescriptions().get(0).targetHealth().reasonAsString())
                .isEqualTo("Target.NotRegistered");
    }

    @Test
    void webSocketUpgradesPassThrough() throws Exception {
        try (ServerSocket ws = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // Accepts every connection: the target group's health checker may connect first.
            Thread.ofVirtual().start(() -> {
                while (!ws.isClosed()) {
                    try {
                        Socket accepted = ws.accept();
                        Thread.ofVirtual().start(() -> echoWebSocket(accepted));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            Setup s = setup();
            elb.registerTargets(b -> b.targetGroupArn(s.tgArn()).targets(t -> t.id("127.0.0.1").port(ws.getLocalPort())));
            fixture.lb.dataPlane().refresh();
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", s.port()));
                client.setSoTimeout(5000);
                client.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = client.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    head.write(in.read());
                }
                assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 101")
                        .containsIgnoringCase("upgrade: websocket");
                client.getOutputStream().write("ping".getBytes(StandardCharsets.ISO_8859_1));
                byte[] buf = new byte[9];
                int read = 0;
                while (read < 9) {
                    read += in.read(buf, read, 9 - read);
                }
                assertThat(new String(buf, StandardCharsets.ISO_8859_1)).isEqualTo("echo:ping");
            }
        }
    }

    private static void echoWebSocket(Socket accepted) {
        try (Socket c = accepted) {
            InputStream in = c.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.write(b);
            }
            OutputStream out = c.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(("echo:" + new String(buf, 0, n, StandardCharsets.ISO_8859_1))
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException ignored) {
            // the peer closed the connection
        }
    }
}
