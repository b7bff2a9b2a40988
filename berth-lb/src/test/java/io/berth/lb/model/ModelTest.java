package io.berth.lb.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.error.BerthException;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelTest {
    @ParameterizedTest
    @CsvSource({"200,200,true", "200,201,false", "'200,202',202,true", "200-299,250,true", "200-299,300,false",
            "'200,300-302',301,true"})
    void matchersNameCodesListsAndRanges(String matcher, int status, boolean healthy) {
        HealthCheck check = new HealthCheck(true, "HTTP", "traffic-port", "/", 30, 5, 5, 2, matcher);
        assertThat(check.matches(status)).isEqualTo(healthy);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8,10.255.1.2,true", "10.0.0.0/8,11.0.0.1,false", "192.168.1.0/25,192.168.1.127,true",
            "192.168.1.0/25,192.168.1.128,false", "0.0.0.0/0,8.8.8.8,true", "::1/128,::1,true", "::/0,10.0.0.1,false"})
    void cidrBlocksContainAddresses(String cidr, String address, boolean contained) throws Exception {
        assertThat(Cidr.parse(cidr).orElseThrow().contains(InetAddress.getByName(address).getAddress()))
                .isEqualTo(contained);
    }

    @Test
    void attributesAreCheckedAsAwsChecksThem() {
        Map<String, String> lb = Attributes.applyToLoadBalancer(Attributes.loadBalancerDefaults(),
                Map.of("idle_timeout.timeout_seconds", "120"));
        assertThat(lb).containsEntry("idle_timeout.timeout_seconds", "120").containsEntry("routing.http2.enabled", "true");
        assertThatThrownBy(() -> Attributes.applyToLoadBalancer(lb, Map.of("idle_timeout.timeout_seconds", "4001")))
                .isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> Attributes.applyToLoadBalancer(lb, Map.of("deletion_protection.enabled", "yes")))
                .isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> Attributes.applyToTargetGroup(Attributes.targetGroupDefaults(),
                Map.of("load_balancing.algorithm.type", "random"))).isInstanceOf(BerthException.class);
        assertThat(Attributes.applyToTargetGroup(Attributes.targetGroupDefaults(),
                Map.of("slow_start.duration_seconds", "0"))).containsEntry("slow_start.duration_seconds", "0");
    }
}
