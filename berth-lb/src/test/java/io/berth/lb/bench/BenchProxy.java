package io.berth.lb.bench;

import io.berth.aws.RequestContext;
import io.berth.aws.query.QueryProtocol;
import io.berth.core.arn.Account;
import io.berth.lb.LoadBalancerApi;
import io.berth.testkit.store.InMemoryStateStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth's side of the proxy benchmark: an in-memory store, the load balancer with one event loop,
 * and through the ELBv2 API one load balancer whose listener on {@code LISTEN_PORT} forwards to
 * {@code 127.0.0.1:TARGET_PORT}. Usage: {@code BenchProxy LISTEN_PORT TARGET_PORT [IO_THREADS]}.
 */
public final class BenchProxy {
    private BenchProxy() {
    }

    public static void main(String[] args) throws Exception {
        int listen = Integer.parseInt(args[0]);
        int target = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Account account = new Account("000000000000", "us-east-1");
        InMemoryStateStore store = new InMemoryStateStore();
        LoadBalancerApi.LoadBalancing lb = LoadBalancerApi.build(store, account, InstantSource.system(),
                LoadBalancerApi.Options.defaults("127.0.0.1").withIoThreads(threads));
        String lbArn = call(lb, "CreateLoadBalancer", "LoadBalancerArn", "Name", "bench");
        String tgArn = call(lb, "CreateTargetGroup", "TargetGroupArn", "Name", "bench", "Protocol", "HTTP",
                "Port", Integer.toString(target), "TargetType", "ip", "HealthCheckIntervalSeconds", "5",
                "HealthCheckTimeoutSeconds", "2", "HealthyThresholdCount", "2");
        call(lb, "RegisterTargets", null, "TargetGroupArn", tgArn, "Targets.member.1.Id", "127.0.0.1");
        call(lb, "CreateListener", "ListenerArn", "LoadBalancerArn", lbArn, "Protocol", "HTTP", "Port",
                Integer.toString(listen), "DefaultActions.member.1.Type", "forward",
                "DefaultActions.member.1.TargetGroupArn", tgArn);
        lb.dataPlane().refresh();
        System.out.println("berth listener on 127.0.0.1:" + listen + " -> 127.0.0.1:" + target);
        Thread.currentThread().join();
    }

    private static String call(LoadBalancerApi.LoadBalancing lb, String action, String field, String... params) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", "2015-12-01");
        for (int i = 0; i < params.length; i += 2) {
            form.put(params[i], params[i + 1]);
        }
        QueryProtocol.Reply reply = QueryProtocol.invoke(lb.api(), form, new RequestContext("bench",
                new Account("000000000000", "us-east-1"), "bench", Instant.now()));
        String xml = new String(reply.body(), StandardCharsets.UTF_8);
        if (reply.status() != 200) {
            throw new IllegalStateException(xml);
        }
        if (field == null) {
            return null;
        }
        Matcher m = Pattern.compile("<" + field + ">([^<]+)</" + field + ">").matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException(xml);
        }
        return m.group(1);
    }
}
