package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.berth.testkit.images.TestImages;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * ECS services behind Berth's load balancer, on the real Docker Engine: busybox httpd tasks in bridge
 * mode on dynamic host ports, registered as instance targets; health checks at a fifth of their
 * configured intervals (5 s is 1 s); a deregistration delay of 3 s.
 */
class LbServicesDockerIT {
    private static final int DELAY_SECONDS = 3;
    private static DockerFixture docker;
    private static ElasticLoadBalancingV2Client elb;
    private static String lbArn;
    private static int port;
    private static final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        docker = DockerFixture.start(0.2);
        BerthFixture berth = docker.berth;
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(URI.create(berth.endpoint()))
                .region(Region.of(BerthFixture.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        berth.server().credentials().accessKeyId(), berth.server().credentials().secretAccessKey())))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
        lbArn = elb.createLoadBalancer(b -> b.name("services")).loadBalancers().get(0).loadBalancerArn();
        port = LbApiIT.Fixture.freePort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker == null) {
            return;
        }
        try {
            for (String arn : docker.ecs().listServices().serviceArns()) {
                docker.ecs().deleteService(d -> d.service(arn).force(true));
            }
        } catch (RuntimeException ignored) {
            // best effort
        }
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        elb.close();
        docker.close();
    }

    private static String targetGroup(String name) {
        String arn = elb.createTargetGroup(b -> b.name(name).protocol(ProtocolEnum.HTTP).port(80)
                        .targetType(TargetTypeEnum.INSTANCE).healthCheckPath("/health").healthCheckIntervalSeconds(5)
                        .healthCheckTimeoutSeconds(2).healthyThresholdCount(2).unhealthyThresholdCount(2))
                .targetGroups().get(0).targetGroupArn();
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(TargetGroupAttribute.builder()
                .key("deregistration_delay.timeout_seconds").value(Integer.toString(DELAY_SECONDS)).build()));
        return arn;
    }

    private static Action forward(String tg) {
        return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build();
    }

    /** A busybox httpd task answering {@code <body> <hostname>} on every path, and {@code /health}. */
    private static String httpTask(String family, String body) {
        String script = "mkdir -p /w/api && echo \"" + body + " $(hostname)\" > /w/index.html && cp /w/index.html "
                + "/w/api/index.html && echo ok > /w/health && exec httpd -f -p 8080 -h /w";
        return docker.ecs().registerTaskDefinition(r -> r.family(family).containerDefinitions(ContainerDefinition
                .builder().name("web").image(TestImages.BUSYBOX).memory(32).command("sh", "-c", script)
                .portMappings(p -> p.containerPort(8080).hostPort(0)).build())).taskDefinition().taskDefinitionArn();
    }

    private static void createService(String name, String td, int desired, String tg, Integer grace) {
        docker.ecs().createService(c -> c.serviceName(name).taskDefinition(td).desiredCount(desired)
                .healthCheckGracePeriodSeconds(grace)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(100).maximumPercent(200))
                .loadBalancers(lb -> lb.targetGroupArn(tg).containerName("web").containerPort(8080)));
    }

    private static Service describe(String name) {
        return docker.ecs().describeServices(d -> d.services(name)).services().get(0);
    }

    /** ServicesStable (one deployment, running = desired) with that deployment COMPLETED. */
    private static boolean stable(String name) {
        Service s = describe(name);
        return s.deployments().size() == 1 && s.runningCount() == s.desiredCount()
                && "COMPLETED".equals(s.deployments().get(0).rolloutStateAsString());
    }

    private static void awaitStable(String name) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> stable(name));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(int listenerPort, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listenerPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<TargetHealthDescription> health(String tg) {
        return elb.describeTargetHealth(b -> b.targetGroupArn(tg)).targetHealthDescriptions();
    }

    private static List<String> events(String service) {
        return describe(service).events().stream().map(ServiceEvent::message).toList();
    }

    private static List<Task> tasks(String service) {
        List<String> arns = docker.ecs().listTasks(l -> l.serviceName(service)).taskArns();
        return arns.isEmpty() ? List.of() : docker.ecs().describeTasks(d -> d.tasks(arns)).tasks();
    }

    private static String ec2InstanceId() {
        return docker.ecs().describeContainerInstances(d -> d.containerInstances(docker.instanceArn()))
                .containerInstances().get(0).ec2InstanceId();
    }

    @Test
    void createServiceRejectsTargetGroupsEcsWouldReject() {
        String td = httpTask("checked", "x");
        String tg = targetGroup("unattached");
        InvalidParameterException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidParameterException.class,
                () -> createService("checked", td, 1, tg, null));
        assertThat(e.getMessage()).startsWith("The target group with targetGroupArn " + tg
                + " does not have an associated load balancer.");
        InvalidParameterException missing = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidParameterException.class, () -> createService("checked", td, 1, tg.replace("unattached",
                        "nothere"), null));
        assertThat(missing.getMessage()).startsWith("Unable to assume role and validate the specified targetGroupArn.");
    }

    /**
     * Requests reach the tasks through the listener, a path rule sends /api/* to a second service, and
     * a rolling deployment (100 % / 200 %) under a steady load of about 100 requests a second fails
     * none of them, from before UpdateService until the service is stable again.
     */
    @Test
    void requestsReachTheTasksAndARollingDeploymentDropsNone() throws Exception {
        String webTg = targetGroup("web");
        String apiTg = targetGroup("api");
        String listenerArn = elb.createListener(b -> b.loadBalancerArn(lbArn).protocol(ProtocolEnum.HTTP).port(port)
                .defaultActions(forward(webTg))).listeners().get(0).listenerArn();
        elb.createRule(b -> b.listenerArn(listenerArn).priority(10).actions(forward(apiTg))
                .conditions(RuleCondition.builder().field("path-pattern").values("/api/*").build()));
        createService("web", httpTask("web", "v1"), 2, webTg, null);
        createService("api", httpTask("api", "api"), 1, apiTg, null);
        awaitStable("web");
        awaitStable("api");

        // both tasks are instance targets on their dynamic host ports, healthy, and serve requests
        Set<String> hostPorts = new HashSet<>();
        for (Task t : tasks("web")) {
            t.containers().get(0).networkBindings().forEach(b -> {
                assertThat(b.bindIP()).isEqualTo("127.0.0.1");
                hostPorts.add(b.containerPort() + "->" + b.hostPort());
            });
        }
        String ec2 = ec2InstanceId();
        assertThat(health(webTg)).hasSize(2).allSatisfy(h -> {
            assertThat(h.target().id()).isEqualTo(ec2);
            assertThat(hostPorts).contains("8080->" + h.target().port());
            assertThat(h.targetHealth().stateAsString()).isEqualTo("healthy");
        });
        assertThat(events("web")).anySatisfy(m -> assertThat(m)
                .matches("\\(service web\\) registered [12] targets in \\(target-group " + java.util.regex.Pattern
                        .quote(webTg) + "\\)"));
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get(port, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("v1 ");
            hosts.add(r.body().trim());
        }
        assertThat(hosts).as("round robin over both tasks").hasSize(2);
        HttpResponse<String> api = get(port, "/api/");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).startsWith("api ");

        // the rolling deployment under load
        List<String> oldTasks = tasks("web").stream().map(Task::taskArn).toList();
        Load load = new Load(port, 6, Duration.ofMillis(50)).start();
        Set<String> statusesOfOld = ConcurrentHashMap.newKeySet();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (sampling.get()) {
                try {
                    docker.ecs().describeTasks(d -> d.tasks(oldTasks)).tasks()
                            .forEach(t -> statusesOfOld.add(t.lastStatus()));
                    Thread.sleep(150);
                } catch (Exception e) {
                    return;
                }
            }
        });
        Thread.sleep(1000);
        Instant updated = Instant.now();
        docker.ecs().updateService(u -> u.service("web").taskDefinition(httpTask("web", "v2")));
        await().atMost(Duration.ofSeconds(5)).until(() -> !stable("web"));
        awaitStable("web");
        Duration rollout = Duration.between(updated, Instant.now());
        load.stop();
        sampling.set(false);
        sampler.join(5000);
        // the last sample may predate STOPPED: the deployment retires as soon as its tasks stop
        docker.ecs().describeTasks(d -> d.tasks(oldTasks)).tasks().forEach(t -> statusesOfOld.add(t.lastStatus()));

        assertThat(load.failures).as("failed requests during the rollout").isEmpty();
        assertThat(load.rate()).as("requests per second").isGreaterThanOrEqualTo(50);
        assertThat(load.bodies.keySet()).contains("v1", "v2");
        System.out.printf("rolling deployment: %d requests in %.1f s (%.0f/s), none failed; rollout %d ms%n",
                load.total.get(), load.seconds(), load.rate(), rollout.toMillis());
        for (int i = 0; i < 10; i++) {
            assertThat(get(port, "/").body()).startsWith("v2 ");
        }
        assertThat(statusesOfOld).contains("DEACTIVATING", "STOPPED");
        for (Task t : docker.ecs().describeTasks(d -> d.tasks(oldTasks)).tasks()) {
            assertThat(t.stopCodeAsString()).isEqualTo("ServiceSchedulerInitiated");
            assertThat(Duration.between(t.stoppingAt(), t.executionStoppedAt()))
                    .as("containers stopped after the deregistration delay")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(DELAY_SECONDS));
        }
        assertThat(events("web")).anySatisfy(m -> assertThat(m).startsWith("(service web) deregistered ")
                .endsWith(" targets in (target-group " + webTg + ")"));
        assertThat(health(webTg)).hasSize(2).allSatisfy(h -> assertThat(h.targetHealth().stateAsString())
                .isEqualTo("healthy"));
        Deployment d = describe("web").deployments().get(0);
        assertThat(d.taskDefinition()).endsWith(":2");
    }

    /**
     * A task whose health checks fail is taken out of rotation and put back once they pass again;
     * within the grace period ECS leaves the task alone. The group also holds a steady backend.
     */
    @Test
    void aTargetFailingItsHealthChecksIsTakenOutAndPutBack() throws Exception {
        Path www = Files.createTempDirectory("berth-flaky-");
        cleanup.add(() -> {
            Files.deleteIfExists(www.resolve("index.html"));
            Files.deleteIfExists(www.resolve("health"));
            Files.deleteIfExists(www);
        });
        www.toFile().setReadable(true, false);
        www.toFile().setExecutable(true, false);
        Files.writeString(www.resolve("index.html"), "flaky\n");
        Files.writeString(www.resolve("health"), "ok\n");
        String td = docker.ecs().registerTaskDefinition(r -> r.family("flaky")
                .volumes(v -> v.name("www").host(h -> h.sourcePath(www.toString())))
                .containerDefinitions(ContainerDefinition.builder().name("web").image(TestImages.BUSYBOX).memory(32)
                        .command("httpd", "-f", "-p", "8080", "-h", "/www")
                        .mountPoints(m -> m.sourceVolume("www").containerPath("/www").readOnly(true))
                        .portMappings(p -> p.containerPort(8080).hostPort(0)).build()))
                .taskDefinition().taskDefinitionArn();
        HttpServer steady = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        steady.createContext("/", exchange -> {
            byte[] body = "steady\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        steady.start();
        cleanup.add(() -> steady.stop(0));

        String tg = targetGroup("flaky");
        int flakyPort = LbApiIT.Fixture.freePort();
        elb.createListener(b -> b.loadBalancerArn(lbArn).protocol(ProtocolEnum.HTTP).port(flakyPort)
                .defaultActions(forward(tg)));
        elb.registerTargets(b -> b.targetGroupArn(tg).targets(t -> t.id(ec2InstanceId())
                .port(steady.getAddress().getPort())));
        createService("flaky", td, 1, tg, 600);
        awaitStable("flaky");
        String task = tasks("flaky").get(0).taskArn();
        await().atMost(Duration.ofSeconds(30)).until(() -> health(tg).stream()
                .allMatch(h -> "healthy".equals(h.targetHealth().stateAsString())));
        assertThat(answers(flakyPort, 10)).contains("flaky", "steady");

        Files.delete(www.resolve("health"));
        await().atMost(Duration.ofSeconds(30)).until(() -> health(tg).stream()
                .anyMatch(h -> "unhealthy".equals(h.targetHealth().stateAsString())));
        assertThat(answers(flakyPort, 10)).as("taken out").containsOnly("steady");

        Files.writeString(www.resolve("health"), "ok\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> health(tg).stream()
                .allMatch(h -> "healthy".equals(h.targetHealth().stateAsString())));
        assertThat(answers(flakyPort, 10)).as("put back").contains("flaky", "steady");
        assertThat(tasks("flaky")).extracting(Task::taskArn).as("within the grace period: not replaced")
                .containsExactly(task);
    }

    private static Set<String> answers(int listenerPort, int n) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = get(listenerPort, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.body().trim());
        }
        return seen;
    }

    /** Steady traffic: {@code threads} clients, each sending a request every {@code pace}, counting every answer. */
    static final class Load {
        private final int listenerPort;
        private final int threads;
        private final Duration pace;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> workers = new ArrayList<>();
        final AtomicLong total = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final Map<String, AtomicLong> bodies = new ConcurrentHashMap<>();
        private long startedNanos;
        private long stoppedNanos;

        Load(int listenerPort, int threads, Duration pace) {
            this.listenerPort = listenerPort;
            this.threads = threads;
            this.pace = pace;
        }

        Load start() {
            startedNanos = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                workers.add(Thread.ofPlatform().daemon().name("load-" + i).start(this::run));
            }
            return this;
        }

        private void run() {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            long next = System.nanoTime();
            while (running.get()) {
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + listenerPort + "/")).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    total.incrementAndGet();
                    if (r.statusCode() != 200) {
                        failures.add(Instant.now() + " status " + r.statusCode() + ": " + r.body());
                    } else {
                        bodies.computeIfAbsent(r.body().split(" ")[0], k -> new AtomicLong()).incrementAndGet();
                    }
                } catch (Exception e) {
                    total.incrementAndGet();
                    failures.add(Instant.now() + " " + e);
                }
                next += pace.toNanos();
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(sleep));
                    } catch (InterruptedException e) {
                        return;
                    }
                } else {
                    next = System.nanoTime();
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : workers) {
                t.join(15_000);
            }
            stoppedNanos = System.nanoTime();
        }

        double seconds() {
            return (stoppedNanos - startedNanos) / 1e9;
        }

        double rate() {
            return total.get() / seconds();
        }
    }
}
