package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ELBv2 API with the AWS CLI v2 ({@code /usr/bin/aws elbv2 ...}): its query requests and XML parsing. */
class LbCliIT {
    private static final Path AWS = Path.of(System.getenv().getOrDefault("BERTH_AWS_CLI", "/usr/bin/aws"));
    private static LbApiIT.Fixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new LbApiIT.Fixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private record Run(int exit, String out) {
    }

    private static Run aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", fixture.endpoint(),
                "--output", "text", "elbv2"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", LbApiIT.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LbApiIT.SECRET);
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("AWS_PAGER", "");
        builder.environment().remove("AWS_PROFILE");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void theCliDrivesALoadBalancer() throws Exception {
        assertThat(AWS).as("the AWS CLI v2 (bin/test installs Debian's awscli)").isExecutable();
        Run lb = aws("create-load-balancer", "--name", "cli-lb", "--subnets", "subnet-a", "subnet-b",
                "--query", "LoadBalancers[0].LoadBalancerArn");
        assertThat(lb.exit()).as(lb.out()).isZero();
        String lbArn = lb.out();
        assertThat(lbArn).startsWith("arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/cli-lb/");
        Run tg = aws("create-target-group", "--name", "cli-tg", "--protocol", "HTTP", "--port", "8080",
                "--target-type", "ip", "--health-check-path", "/health", "--matcher", "HttpCode=200-299",
                "--query", "TargetGroups[0].TargetGroupArn");
        assertThat(tg.exit()).as(tg.out()).isZero();
        String tgArn = tg.out();
        assertThat(aws("register-targets", "--target-group-arn", tgArn, "--targets", "Id=127.0.0.1,Port=9001",
                "Id=127.0.0.1,Port=9002").exit()).isZero();
        int port = LbApiIT.Fixture.freePort();
        Run listener = aws("create-listener", "--load-balancer-arn", lbArn, "--protocol", "HTTP", "--port",
                Integer.toString(port), "--default-actions", "Type=forward,TargetGroupArn=" + tgArn,
                "--query", "Listeners[0].ListenerArn");
        assertThat(listener.exit()).as(listener.out()).isZero();
        Run rule = aws("create-rule", "--listener-arn", listener.out(), "--priority", "10",
                "--conditions", "Field=path-pattern,Values=/static/*",
                "--actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200,ContentType=text/plain,MessageBody=ok}",
                "--query", "Rules[0].Priority");
        assertThat(rule.exit()).as(rule.out()).isZero();
        assertThat(rule.out()).isEqualTo("10");
        Run health = aws("describe-target-health", "--target-group-arn", tgArn,
                "--query", "TargetHealthDescriptions[].TargetHealth.State");
        assertThat(health.out()).as("not checked yet, or the ports are closed").matches(
                "(initial|unhealthy)\t(initial|unhealthy)");
        Run rules = aws("describe-rules", "--listener-arn", listener.out(), "--query", "Rules[].Priority");
        assertThat(rules.out()).isEqualTo("10\tdefault");
        Run attrs = aws("modify-target-group-attributes", "--target-group-arn", tgArn, "--attributes",
                "Key=deregistration_delay.timeout_seconds,Value=15",
                "--query", "Attributes[?Key=='deregistration_delay.timeout_seconds'].Value");
        assertThat(attrs.out()).isEqualTo("15");
        Run tags = aws("add-tags", "--resource-arns", lbArn, "--tags", "Key=env,Value=dev");
        assertThat(tags.exit()).as(tags.out()).isZero();
        assertThat(aws("describe-tags", "--resource-arns", lbArn, "--query", "TagDescriptions[0].Tags[0].Value").out())
                .isEqualTo("dev");
        Run dns = aws("describe-load-balancers", "--names", "cli-lb", "--query", "LoadBalancers[0].DNSName");
        assertThat(dns.out()).matches("cli-lb-\\d+\\.us-east-1\\.elb\\.amazonaws\\.com");

        Run missing = aws("describe-load-balancers", "--names", "no-such-lb");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.out()).contains("LoadBalancerNotFound");
        Run inUse = aws("delete-target-group", "--target-group-arn", tgArn);
        assertThat(inUse.exit()).isNotZero();
        assertThat(inUse.out()).contains("ResourceInUse");
        assertThat(aws("delete-load-balancer", "--load-balancer-arn", lbArn).exit()).isZero();
        assertThat(aws("delete-target-group", "--target-group-arn", tgArn).exit()).isZero();
    }
}
