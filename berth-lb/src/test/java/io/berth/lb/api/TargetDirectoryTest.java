package io.berth.lb.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.aws.RequestContext;
import io.berth.aws.query.QueryProtocol;
import io.berth.core.arn.Account;
import io.berth.lb.LbError;
import io.berth.lb.LoadBalancerApi;
import io.berth.lb.api.TargetDirectory.TargetRef;
import io.berth.testkit.store.InMemoryStateStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Target registration without the wire, as ECS services use it, on an in-memory store and a test clock. */
class TargetDirectoryTest {
    private static final Account ACCOUNT = new Account("000000000000", "us-east-1");
    private static final String INSTANCE = "i-0123456789abcdef0";
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final LoadBalancerApi.LoadBalancing lb = LoadBalancerApi.build(store, ACCOUNT, (InstantSource) now::get,
            LoadBalancerApi.Options.defaults("127.0.0.1").withIoThreads(1)
                    .withResolver(id -> INSTANCE.equals(id) ? Optional.of("127.0.0.1") : Optional.empty()));
    private final TargetDirectory directory = lb.targets();

    @AfterEach
    void close() throws Exception {
        lb.close();
        store.close();
    }

    private String call(String action, String field, String... params) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", "2015-12-01");
        for (int i = 0; i < params.length; i += 2) {
            form.put(params[i], params[i + 1]);
        }
        QueryProtocol.Reply reply = QueryProtocol.invoke(lb.api(), form, new RequestContext("t", ACCOUNT, "t",
                now.get()));
        String xml = new String(reply.body(), StandardCharsets.UTF_8);
        assertThat(reply.status()).as(xml).isEqualTo(200);
        if (field == null) {
            return null;
        }
        Matcher m = Pattern.compile("<" + field + ">([^<]+)</" + field + ">").matcher(xml);
        assertThat(m.find()).as(xml).isTrue();
        return m.group(1);
    }

    private String group(String name, boolean attached) {
        String tg = call("CreateTargetGroup", "TargetGroupArn", "Name", name, "Protocol", "HTTP", "Port", "80",
                "TargetType", "instance");
        call("ModifyTargetGroupAttributes", null, "TargetGroupArn", tg, "Attributes.member.1.Key",
                "deregistration_delay.timeout_seconds", "Attributes.member.1.Value", "5");
        if (attached) {
            String lbArn = call("CreateLoadBalancer", "LoadBalancerArn", "Name", name);
            call("CreateListener", "ListenerArn", "LoadBalancerArn", lbArn, "Protocol", "HTTP", "Port", freePort(),
                    "DefaultActions.member.1.Type", "forward", "DefaultActions.member.1.TargetGroupArn", tg);
        }
        return tg;
    }

    private static String freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return Integer.toString(s.getLocalPort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aGroupIsFoundWithItsTypeAndWhetherALoadBalancerUsesIt() {
        String loose = group("loose", false);
        assertThat(directory.group(loose)).hasValueSatisfying(g -> {
            assertThat(g.targetType()).isEqualTo("instance");
            assertThat(g.inUse()).isFalse();
            assertThat(g.deregistrationDelaySeconds()).isEqualTo(5);
        });
        assertThat(directory.group(loose.replace("loose", "other"))).isEmpty();
        assertThat(directory.group("not an arn")).isEmpty();
        String used = group("used", true);
        assertThat(directory.group(used)).hasValueSatisfying(g -> assertThat(g.inUse()).isTrue());
    }

    @Test
    void registrationIsIdempotentAndDeregistrationDrainsForTheDelay() {
        String tg = group("web", true);
        TargetRef t = new TargetRef(INSTANCE, 32768);
        directory.register(tg, List.of(t));
        directory.register(tg, List.of(t));
        assertThat(directory.targets(tg)).containsOnlyKeys(t);
        assertThat(directory.targets(tg).get(t).state()).isEqualTo("initial");

        directory.deregister(tg, List.of(t, new TargetRef(INSTANCE, 40000)));
        assertThat(directory.targets(tg).get(t).state()).isEqualTo("draining");
        directory.deregister(tg, List.of(t));
        now.set(now.get().plus(Duration.ofSeconds(4)));
        assertThat(directory.targets(tg)).containsOnlyKeys(t);
        now.set(now.get().plus(Duration.ofSeconds(2)));
        assertThat(directory.targets(tg)).isEmpty();
    }

    @Test
    void aDrainingTargetRegisteredAgainServesAgain() {
        String tg = group("again", true);
        TargetRef t = new TargetRef(INSTANCE, 32769);
        directory.register(tg, List.of(t));
        directory.deregister(tg, List.of(t));
        directory.register(tg, List.of(t));
        assertThat(directory.targets(tg).get(t).state()).isNotEqualTo("draining");
    }

    @Test
    void anUnknownInstanceIsRefusedAsRegisterTargetsRefusesIt() {
        String tg = group("bad", true);
        assertThatThrownBy(() -> directory.register(tg, List.of(new TargetRef("i-00000000000000000", 80))))
                .isInstanceOfSatisfying(LbError.LbException.class,
                        e -> assertThat(e.error()).isEqualTo(LbError.INVALID_TARGET));
    }
}
