package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.aws.http.EdgeHandler;
import io.berth.aws.http.EdgeServer;
import io.berth.aws.query.QueryEdge;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.arn.Account;
import io.berth.lb.LoadBalancerApi;
import io.berth.lb.TargetResolver;
import io.berth.testkit.store.InMemoryStateStore;
import java.net.ServerSocket;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.*;

/** The ELBv2 API through the query edge, with the AWS SDK v2 client. */
class LbApiIT {
    static final String ACCESS_KEY = "AKIDBERTHLBTEST00001";
    static final String SECRET = "berth-lb-test-secret-key/0000000000000000";
    private static Fixture fixture;
    private static ElasticLoadBalancingV2Client elb;

    /**
     * A Berth edge in this JVM that serves only ELBv2: an in-memory store, the load balancer with
     * listeners on 127.0.0.1, health checks 20 times faster than configured, and an SDK client.
     */
    static final class Fixture implements AutoCloseable {
        final InMemoryStateStore store = new InMemoryStateStore();
        final Account account = new Account("000000000000", "us-east-1");
        final Map<String, String> instances = new ConcurrentHashMap<>();
        final LoadBalancerApi.LoadBalancing lb;
        final EdgeServer edge;

        Fixture() throws Exception {
            SigV4Verifier verifier = new SigV4Verifier(key -> key.equals(ACCESS_KEY) ? Optional.of(SECRET)
                    : Optional.empty());
            TargetResolver resolver = id -> Optional.ofNullable(instances.get(id));
            lb = LoadBalancerApi.build(store, account, InstantSource.system(),
                    LoadBalancerApi.Options.defaults("127.0.0.1").withResolver(resolver).withIoThreads(2)
                            .withHealthCheckTimeScale(0.05));
            QueryEdge query = new QueryEdge(List.of(lb.api()), verifier, account, InstantSource.system());
            edge = new EdgeServer("127.0.0.1", 0, new EdgeHandler(List.of(), List.of(query), verifier, account,
                    InstantSource.system())).start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + edge.port();
        }

        ElasticLoadBalancingV2Client client(String secret) {
            return ElasticLoadBalancingV2Client.builder()
                    .endpointOverride(URI.create(endpoint()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                            secret)))
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                    .build();
        }

        static int freePort() throws Exception {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }

        @Override
        public void close() throws Exception {
            edge.close();
            lb.close();
            store.close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        fixture = new Fixture();
        elb = fixture.client(SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        elb.close();
        fixture.close();
    }

    private static LoadBalancer createLb(String name) {
        return elb.createLoadBalancer(b -> b.name(name).subnets("subnet-1", "subnet-2")
                .tags(Tag.builder().key("team").value("web").build())).loadBalancers().get(0);
    }

    private static TargetGroup createTg(String name, Consumer<CreateTargetGroupRequest.Builder> more) {
        return elb.createTargetGroup(b -> {
            b.name(name).protocol(ProtocolEnum.HTTP).port(8080).vpcId("vpc-1").targetType(TargetTypeEnum.IP);
            more.accept(b);
        }).targetGroups().get(0);
    }

    private static String code(Throwable e) {
        return ((ElasticLoadBalancingV2Exception) e).awsErrorDetails().errorCode();
    }

    @Test
    void loadBalancersAreCreatedDescribedAndDeletedAsOnAws() {
        LoadBalancer lb = createLb("web-lb");
        assertThat(lb.loadBalancerArn()).matches(
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web-lb/[0-9a-f]{16}");
        assertThat(lb.dnsName()).matches("web-lb-\\d{9,10}\\.us-east-1\\.elb\\.amazonaws\\.com");
        assertThat(lb.typeAsString()).isEqualTo("application");
        assertThat(lb.schemeAsString()).isEqualTo("internet-facing");
        assertThat(lb.state().codeAsString()).isEqualTo("provisioning");
        assertThat(lb.canonicalHostedZoneId()).isEqualTo("Z35SXDOTRQ7X7K");
        assertThat(lb.availabilityZones()).extracting(AvailabilityZone::subnetId).containsExactly("subnet-1", "subnet-2");
        assertThat(lb.createdTime()).isNotNull();
        assertThat(createLb("web-lb").loadBalancerArn()).as("same name, same settings").isEqualTo(lb.loadBalancerArn());
        assertThatThrownBy(() -> elb.createLoadBalancer(b -> b.name("web-lb").scheme(LoadBalancerSchemeEnum.INTERNAL)))
                .isInstanceOf(DuplicateLoadBalancerNameException.class);
        LoadBalancer internal = elb.createLoadBalancer(b -> b.name("inside").scheme(LoadBalancerSchemeEnum.INTERNAL))
                .loadBalancers().get(0);
        assertThat(internal.dnsName()).startsWith("internal-inside-");

        DescribeLoadBalancersResponse byName = elb.describeLoadBalancers(b -> b.names("web-lb"));
        assertThat(byName.loadBalancers()).singleElement().satisfies(d -> {
            assertThat(d.loadBalancerArn()).isEqualTo(lb.loadBalancerArn());
            assertThat(d.state().code()).isEqualTo(LoadBalancerStateEnum.ACTIVE);
        });
        assertThat(elb.describeLoadBalancers(b -> b.loadBalancerArns(lb.loadBalancerArn())).loadBalancers())
                .hasSize(1);
        assertThat(elb.describeLoadBalancers(b -> b.pageSize(1)).nextMarker()).isNotNull();
        assertThat(elb.describeLoadBalancersPaginator(b -> b.pageSize(1)).loadBalancers().stream()
                .map(LoadBalancer::loadBalancerName)).contains("web-lb", "inside");
        assertThatThrownBy(() -> elb.describeLoadBalancers(b -> b.names("nope")))
                .isInstanceOf(LoadBalancerNotFoundException.class);

        assertThat(elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(lb.loadBalancerArn())).attributes())
                .contains(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("60").build());
        elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(lb.loadBalancerArn()).attributes(
                LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("5").build(),
                LoadBalancerAttribute.builder().key("deletion_protection.enabled").value("true").build()));
        assertThat(elb.describeLoadBalancerAttributes(b -> b.loadBalancerArn(lb.loadBalancerArn())).attributes())
                .contains(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("5").build());
        assertThatThrownBy(() -> elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(lb.loadBalancerArn())
                .attributes(LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("0").build())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn())))
                .isInstanceOf(OperationNotPermittedException.class);
        elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(lb.loadBalancerArn()).attributes(
                LoadBalancerAttribute.builder().key("deletion_protection.enabled").value("false").build()));
        elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn()));
        elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb.loadBalancerArn()));
        elb.deleteLoadBalancer(b -> b.loadBalancerArn(internal.loadBalancerArn()));
        assertThatThrownBy(() -> elb.describeLoadBalancers(b -> b.loadBalancerArns(lb.loadBalancerArn())))
                .isInstanceOf(LoadBalancerNotFoundException.class);
    }

    @Test
    void invalidInputGetsAwsErrors() {
        assertThatThrownBy(() -> elb.createLoadBalancer(b -> b.name("-bad")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> elb.createLoadBalancer(b -> b.name("n").type(LoadBalancerTypeEnum.NETWORK)))
                .isInstanceOf(InvalidConfigurationRequestException.class);
        assertThatThrownBy(() -> createTg("tg-bad", b -> b.healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(6)))
                .isInstanceOf(InvalidConfigurationRequestException.class);
        assertThatThrownBy(() -> createTg("tg-bad", b -> b.healthCheckIntervalSeconds(1)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"))
                .hasMessageContaining("greater than or equal to 5");
        assertThatThrownBy(() -> createTg("tg-bad", b -> b.matcher(m -> m.httpCode("600"))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> elb.describeTargetGroups(b -> b.targetGroupArns(
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/none/0123456789abcdef")))
                .isInstanceOf(TargetGroupNotFoundException.class);
        try (ElasticLoadBalancingV2Client wrong = fixture.client("not-the-secret")) {
            assertThatThrownBy(() -> wrong.describeLoadBalancers(b -> { }))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("SignatureDoesNotMatch"));
        }
    }

    @Test
    void targetGroupsCarryHealthChecksAndAttributes() {
        TargetGroup tg = createTg("api-tg", b -> b.healthCheckPath("/health").healthCheckIntervalSeconds(10)
                .healthCheckTimeoutSeconds(3).healthyThresholdCount(3).unhealthyThresholdCount(4)
                .matcher(m -> m.httpCode("200-299")));
        assertThat(tg.targetGroupArn()).matches(
                "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/api-tg/[0-9a-f]{16}");
        assertThat(tg.healthCheckPath()).isEqualTo("/health");
        assertThat(tg.healthCheckPort()).isEqualTo("traffic-port");
        assertThat(tg.healthCheckIntervalSeconds()).isEqualTo(10);
        assertThat(tg.healthyThresholdCount()).isEqualTo(3);
        assertThat(tg.matcher().httpCode()).isEqualTo("200-299");
        assertThat(tg.targetTypeAsString()).isEqualTo("ip");
        assertThat(tg.loadBalancerArns()).isEmpty();
        assertThatThrownBy(() -> createTg("api-tg", b -> b.port(9090))).isInstanceOf(DuplicateTargetGroupNameException.class);

        TargetGroup modified = elb.modifyTargetGroup(b -> b.targetGroupArn(tg.targetGroupArn()).healthCheckPath("/ready")
                .matcher(m -> m.httpCode("200,204"))).targetGroups().get(0);
        assertThat(modified.healthCheckPath()).isEqualTo("/ready");
        assertThat(modified.matcher().httpCode()).isEqualTo("200,204");
        assertThat(modified.healthCheckIntervalSeconds()).isEqualTo(10);

        assertThat(elb.describeTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn())).attributes())
                .contains(TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("300").build(),
                        TargetGroupAttribute.builder().key("load_balancing.algorithm.type").value("round_robin").build());
        elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn()).attributes(
                TargetGroupAttribute.builder().key("deregistration_delay.timeout_seconds").value("10").build(),
                TargetGroupAttribute.builder().key("slow_start.duration_seconds").value("30").build(),
                TargetGroupAttribute.builder().key("load_balancing.algorithm.type").value("least_outstanding_requests")
                        .build()));
        assertThat(elb.describeTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn())).attributes())
                .contains(TargetGroupAttribute.builder().key("slow_start.duration_seconds").value("30").build(),
                        TargetGroupAttribute.builder().key("load_balancing.algorithm.type")
                                .value("least_outstanding_requests").build());
        assertThatThrownBy(() -> elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn())
                .attributes(TargetGroupAttribute.builder().key("slow_start.duration_seconds").value("10").build())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> elb.modifyTargetGroupAttributes(b -> b.targetGroupArn(tg.targetGroupArn())
                .attributes(TargetGroupAttribute.builder().key("no.such.key").value("1").build())))
                .satisfies(e -> assertThat(code(e)).isEqualTo("ValidationError"));

        assertThat(elb.describeTargetGroups(b -> b.names("api-tg")).targetGroups()).hasSize(1);
        elb.deleteTargetGroup(b -> b.targetGroupArn(tg.targetGroupArn()));
        assertThatThrownBy(() -> elb.describeTargetGroups(b -> b.names("api-tg")))
                .isInstanceOf(TargetGroupNotFoundException.class);
    }

    @Test
    void targetsRegisterDrainAndReportTheirHealth() {
        TargetGroup tg = createTg("targets-tg", b -> b.healthCheckIntervalSeconds(300).healthCheckTimeoutSeconds(120));
        String arn = tg.targetGroupArn();
        elb.registerTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("127.0.0.1").port(1),
                t -> t.id("127.0.0.2")));
        List<TargetHealthDescription> health = elb.describeTargetHealth(b -> b.targetGroupArn(arn))
                .targetHealthDescriptions();
        assertThat(health).extracting(d -> d.target().id() + ":" + d.target().port())
                .containsExactlyInAnyOrder("127.0.0.1:1", "127.0.0.2:8080");
        assertThat(health).allSatisfy(d -> {
            assertThat(d.targetHealth().state()).isEqualTo(TargetHealthStateEnum.UNUSED);
            assertThat(d.targetHealth().reason()).isEqualTo(TargetHealthReasonEnum.TARGET_NOT_IN_USE);
        });
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(arn).targets(t -> t.id("127.0.0.9")))
                .targetHealthDescriptions()).singleElement().satisfies(d -> {
                    assertThat(d.targetHealth().state()).isEqualTo(TargetHealthStateEnum.UNUSED);
                    assertThat(d.targetHealth().reason()).isEqualTo(TargetHealthReasonEnum.TARGET_NOT_REGISTERED);
                });
        elb.deregisterTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("127.0.0.2")));
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(arn).targets(t -> t.id("127.0.0.2")))
                .targetHealthDescriptions()).singleElement().satisfies(d -> {
                    assertThat(d.targetHealth().state()).isEqualTo(TargetHealthStateEnum.DRAINING);
                    assertThat(d.targetHealth().reason()).isEqualTo(TargetHealthReasonEnum.TARGET_DEREGISTRATION_IN_PROGRESS);
                });
        assertThatThrownBy(() -> elb.deregisterTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("127.0.0.7"))))
                .isInstanceOf(InvalidTargetException.class);
        assertThatThrownBy(() -> elb.registerTargets(b -> b.targetGroupArn(arn).targets(t -> t.id("not-an-ip"))))
                .isInstanceOf(InvalidTargetException.class);

        TargetGroup instances = elb.createTargetGroup(b -> b.name("instances-tg").protocol(ProtocolEnum.HTTP).port(80)
                .vpcId("vpc-1")).targetGroups().get(0);
        assertThat(instances.targetTypeAsString()).isEqualTo("instance");
        assertThatThrownBy(() -> elb.registerTargets(b -> b.targetGroupArn(instances.targetGroupArn())
                .targets(t -> t.id("i-0123456789abcdef0")))).isInstanceOf(InvalidTargetException.class);
        fixture.instances.put("i-0123456789abcdef0", "127.0.0.1");
        elb.registerTargets(b -> b.targetGroupArn(instances.targetGroupArn()).targets(t -> t.id("i-0123456789abcdef0")
                .port(32768)));
        assertThat(elb.describeTargetHealth(b -> b.targetGroupArn(instances.targetGroupArn())).targetHealthDescriptions())
                .singleElement().satisfies(d -> {
                    assertThat(d.target().id()).isEqualTo("i-0123456789abcdef0");
                    assertThat(d.healthCheckPort()).isEqualTo("32768");
                });
    }

    @Test
    void listenersAndRulesRouteToTargetGroups() throws Exception {
        LoadBalancer lb = createLb("rules-lb");
        TargetGroup a = createTg("rules-a", b -> { });
        TargetGroup c = createTg("rules-c", b -> { });
        int port = Fixture.freePort();
        Listener listener = elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).protocol(ProtocolEnum.HTTP)
                .port(port).defaultActions(Action.builder().type(ActionTypeEnum.FORWARD).forwardConfig(f -> f
                        .targetGroups(TargetGroupTuple.builder().targetGroupArn(a.targetGroupArn()).weight(3).build(),
                                TargetGroupTuple.builder().targetGroupArn(c.targetGroupArn()).weight(1).build()))
                        .build())).listeners().get(0);
        assertThat(listener.listenerArn()).matches("arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/"
                + "rules-lb/[0-9a-f]{16}/[0-9a-f]{16}");
        assertThat(listener.defaultActions().get(0).forwardConfig().targetGroups())
                .extracting(TargetGroupTuple::weight).containsExactly(3, 1);
        assertThatThrownBy(() -> elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).port(port)
                .protocol(ProtocolEnum.HTTP).defaultActions(fixed("x"))))
                .isInstanceOf(DuplicateListenerException.class);
        assertThat(elb.describeTargetGroups(b -> b.targetGroupArns(a.targetGroupArn())).targetGroups().get(0)
                .loadBalancerArns()).containsExactly(lb.loadBalancerArn());
        assertThatThrownBy(() -> elb.deleteTargetGroup(b -> b.targetGroupArn(a.targetGroupArn())))
                .isInstanceOf(ResourceInUseException.class);

        Rule api = elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(10)
                .conditions(RuleCondition.builder().field("path-pattern").values("/api/*").build(),
                        RuleCondition.builder().field("http-request-method")
                                .httpRequestMethodConfig(m -> m.values("GET", "POST")).build())
                .actions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(c.targetGroupArn()).build()))
                .rules().get(0);
        assertThat(api.priority()).isEqualTo("10");
        assertThat(api.conditions().get(0).pathPatternConfig().values()).containsExactly("/api/*");
        Rule host = elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(5)
                .conditions(RuleCondition.builder().field("host-header").hostHeaderConfig(h -> h.values("*.example.com"))
                                .build(),
                        RuleCondition.builder().field("http-header").httpHeaderConfig(h -> h.httpHeaderName("X-Env")
                                .values("prod")).build(),
                        RuleCondition.builder().field("query-string").queryStringConfig(q -> q.values(
                                QueryStringKeyValuePair.builder().key("v").value("2").build())).build(),
                        RuleCondition.builder().field("source-ip").sourceIpConfig(s -> s.values("127.0.0.0/8")).build())
                .actions(Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(r -> r.protocol("HTTPS")
                        .port("443").statusCode(RedirectActionStatusCodeEnum.HTTP_301)).build())).rules().get(0);
        assertThatThrownBy(() -> elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(5)
                .conditions(RuleCondition.builder().field("path-pattern").values("/x").build())
                .actions(fixed("x")))).isInstanceOf(PriorityInUseException.class);
        assertThatThrownBy(() -> elb.createRule(b -> b.listenerArn(listener.listenerArn()).priority(7)
                .conditions(RuleCondition.builder().field("path-pattern").values("/x").build())
                .actions(Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(r -> r
                        .statusCode(RedirectActionStatusCodeEnum.HTTP_302)).build())))
                .isInstanceOf(InvalidLoadBalancerActionException.class);

        List<Rule> rules = elb.describeRules(b -> b.listenerArn(listener.listenerArn())).rules();
        assertThat(rules).extracting(Rule::priority).containsExactly("5", "10", "default");
        assertThat(rules.get(2).isDefault()).isTrue();
        assertThat(rules.get(0).conditions()).extracting(RuleCondition::field)
                .containsExactly("host-header", "http-header", "query-string", "source-ip");

        assertThat(elb.setRulePriorities(b -> b.rulePriorities(
                RulePriorityPair.builder().ruleArn(host.ruleArn()).priority(20).build(),
                RulePriorityPair.builder().ruleArn(api.ruleArn()).priority(5).build())).rules()).hasSize(2);
        assertThat(elb.describeRules(b -> b.listenerArn(listener.listenerArn())).rules()).extracting(Rule::ruleArn)
                .startsWith(api.ruleArn(), host.ruleArn());
        elb.modifyRule(b -> b.ruleArn(api.ruleArn()).conditions(RuleCondition.builder().field("path-pattern")
                .values("/v2/*").build()));
        assertThat(elb.describeRules(b -> b.ruleArns(api.ruleArn())).rules().get(0).conditions().get(0).values())
                .containsExactly("/v2/*");
        String defaultRule = rules.get(2).ruleArn();
        assertThatThrownBy(() -> elb.deleteRule(b -> b.ruleArn(defaultRule))).isInstanceOf(OperationNotPermittedException.class);
        elb.modifyRule(b -> b.ruleArn(defaultRule).actions(fixed("default")));
        assertThat(elb.describeListeners(b -> b.listenerArns(listener.listenerArn())).listeners().get(0)
                .defaultActions().get(0).fixedResponseConfig().messageBody()).isEqualTo("default");
        elb.deleteRule(b -> b.ruleArn(host.ruleArn()));
        assertThatThrownBy(() -> elb.describeRules(b -> b.ruleArns(host.ruleArn()))).isInstanceOf(RuleNotFoundException.class);

        Listener moved = elb.modifyListener(b -> b.listenerArn(listener.listenerArn()).port(port + 1)).listeners().get(0);
        assertThat(moved.port()).isEqualTo(port + 1);
        assertThat(elb.describeListeners(b -> b.loadBalancerArn(lb.loadBalancerArn())).listeners()).hasSize(1);
        elb.deleteListener(b -> b.listenerArn(listener.listenerArn()));
        assertThatThrownBy(() -> elb.describeListeners(b -> b.listenerArns(listener.listenerArn())))
                .isInstanceOf(ListenerNotFoundException.class);
        assertThatThrownBy(() -> elb.describeRules(b -> b.ruleArns(api.ruleArn()))).isInstanceOf(RuleNotFoundException.class);
        elb.deleteTargetGroup(b -> b.targetGroupArn(a.targetGroupArn()));
    }

    static Action fixed(String body) {
        return Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("200")
                .contentType("text/plain").messageBody(body)).build();
    }

    @Test
    void tagsAreAddedListedAndRemoved() {
        LoadBalancer lb = createLb("tags-lb");
        TargetGroup tg = createTg("tags-tg", b -> b.tags(Tag.builder().key("tier").value("back").build()));
        elb.addTags(b -> b.resourceArns(lb.loadBalancerArn(), tg.targetGroupArn())
                .tags(Tag.builder().key("env").value("prod").build()));
        List<TagDescription> tags = elb.describeTags(b -> b.resourceArns(lb.loadBalancerArn(), tg.targetGroupArn()))
                .tagDescriptions();
        assertThat(tags.get(0).tags()).extracting(Tag::key).containsExactly("team", "env");
        assertThat(tags.get(1).tags()).extracting(Tag::key).containsExactly("tier", "env");
        elb.removeTags(b -> b.resourceArns(lb.loadBalancerArn()).tagKeys("team"));
        assertThat(elb.describeTags(b -> b.resourceArns(lb.loadBalancerArn())).tagDescriptions().get(0).tags())
                .containsExactly(Tag.builder().key("env").value("prod").build());
        assertThatThrownBy(() -> elb.addTags(b -> b.resourceArns(lb.loadBalancerArn()).tags(
                Tag.builder().key("k").value("1").build(), Tag.builder().key("k").value("2").build())))
                .isInstanceOf(DuplicateTagKeysException.class);
        assertThatThrownBy(() -> elb.describeTags(b -> b.resourceArns(lb.loadBalancerArn().replace("tags-lb", "gone"))))
                .isInstanceOf(LoadBalancerNotFoundException.class);
    }
}
