package io.berth.lb.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.lb.LbError;
import io.berth.lb.model.Action;
import io.berth.lb.model.Condition;
import io.berth.lb.model.HealthCheck;
import io.berth.lb.model.Listener;
import io.berth.lb.model.LoadBalancer;
import io.berth.lb.model.Rule;
import io.berth.lb.model.Tag;
import io.berth.lb.model.TargetGroup;
import io.berth.lb.state.LbJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ELBv2 wire shapes (as the query edge hands them: member names as keys) of Berth's records, both
 * ways. Only shapes: semantic checks are the operations'.
 */
final class Wire {
    private Wire() {
    }

    static ObjectNode object() {
        return LbJson.MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return LbJson.MAPPER.createArrayNode();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }

    static Boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asBoolean();
    }

    static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = node.get(field);
        if (v != null) {
            v.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    static ArrayNode strings(Collection<String> values) {
        ArrayNode out = array();
        values.forEach(out::add);
        return out;
    }

    /** Key/Value pairs ({@code Attributes}), in order. */
    static Map<String, String> attributes(JsonNode node, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode v = node.get(field);
        if (v != null) {
            v.forEach(e -> out.put(text(e, "Key"), e.hasNonNull("Value") ? e.get("Value").asText() : ""));
        }
        return out;
    }

    static ArrayNode attributes(Map<String, String> values) {
        ArrayNode out = array();
        values.forEach((k, v) -> out.add(object().put("Key", k).put("Value", v)));
        return out;
    }

    static List<Tag> tags(JsonNode node, String field) {
        List<Tag> out = new ArrayList<>();
        JsonNode v = node.get(field);
        if (v != null) {
            v.forEach(e -> out.add(new Tag(text(e, "Key"), text(e, "Value"))));
        }
        return out;
    }

    static ArrayNode tags(List<Tag> tags) {
        ArrayNode out = array();
        tags.forEach(t -> out.add(object().put("Key", t.key()).put("Value", t.value())));
        return out;
    }

    static ObjectNode loadBalancer(LoadBalancer lb, String state) {
        ObjectNode out = object()
                .put("LoadBalancerArn", lb.arn())
                .put("DNSName", lb.dnsName())
                .put("CanonicalHostedZoneId", hostedZone(lb.arn()))
                .put("CreatedTime", lb.createdTime().toString())
                .put("LoadBalancerName", lb.name())
                .put("Scheme", lb.scheme())
                .put("Type", lb.type())
                .put("IpAddressType", lb.ipAddressType());
        if (lb.vpcId() != null) {
            out.put("VpcId", lb.vpcId());
        }
        out.set("State", object().put("Code", state));
        ArrayNode zones = array();
        String region = lb.arn().split(":")[3];
        for (int i = 0; i < lb.subnets().size(); i++) {
            zones.add(object().put("ZoneName", region + (char) ('a' + i % 6)).put("SubnetId", lb.subnets().get(i)));
        }
        out.set("AvailabilityZones", zones);
        if (!lb.securityGroups().isEmpty()) {
            out.set("SecurityGroups", strings(lb.securityGroups()));
        }
        return out;
    }

    /** The Route 53 zone of ALBs in the load balancer's region (us-east-1's for regions not listed). */
    private static String hostedZone(String arn) {
        return switch (arn.split(":")[3]) {
            case "us-east-2" -> "Z3AADJGX6KTTL2";
            case "us-west-1" -> "Z368ELLRRE2KJ0";
            case "us-west-2" -> "Z1H1FL5HABSF5";
            case "eu-west-1" -> "Z32O12XQLNTSW2";
            case "eu-central-1" -> "Z215JYRZR1TBD5";
            case "ap-southeast-1" -> "Z1LMS91P8CMLE5";
            case "ap-northeast-1" -> "Z14GRHDCWA56QT";
            default -> "Z35SXDOTRQ7X7K";
        };
    }

    static ObjectNode targetGroup(TargetGroup tg, List<String> loadBalancerArns) {
        HealthCheck hc = tg.healthCheck();
        ObjectNode out = object()
                .put("TargetGroupArn", tg.arn())
                .put("TargetGroupName", tg.name())
                .put("Protocol", tg.protocol())
                .put("Port", tg.port());
        if (tg.vpcId() != null) {
            out.put("VpcId", tg.vpcId());
        }
        out.put("HealthCheckProtocol", hc.protocol())
                .put("HealthCheckPort", hc.port())
                .put("HealthCheckEnabled", hc.enabled())
                .put("HealthCheckIntervalSeconds", hc.intervalSeconds())
                .put("HealthCheckTimeoutSeconds", hc.timeoutSeconds())
                .put("HealthyThresholdCount", hc.healthyThreshold())
                .put("UnhealthyThresholdCount", hc.unhealthyThreshold())
                .put("HealthCheckPath", hc.path());
        out.set("Matcher", object().put("HttpCode", hc.matcher()));
        out.set("LoadBalancerArns", strings(loadBalancerArns));
        out.put("TargetType", tg.targetType())
                .put("ProtocolVersion", tg.protocolVersion())
                .put("IpAddressType", tg.ipAddressType());
        return out;
    }

    static ObjectNode listener(Listener l) {
        ObjectNode out = object()
                .put("ListenerArn", l.arn())
                .put("LoadBalancerArn", l.loadBalancerArn())
                .put("Port", l.port())
                .put("Protocol", l.protocol());
        out.set("DefaultActions", actions(l.defaultActions()));
        return out;
    }

    static ObjectNode rule(Rule r) {
        ObjectNode out = object().put("RuleArn", r.arn()).put("Priority", Integer.toString(r.priority()));
        out.set("Conditions", conditions(r.conditions()));
        out.set("Actions", actions(r.actions()));
        out.put("IsDefault", false);
        return out;
    }

    static ObjectNode defaultRule(Listener l, String ruleArn) {
        ObjectNode out = object().put("RuleArn", ruleArn).put("Priority", "default");
        out.set("Conditions", array());
        out.set("Actions", actions(l.defaultActions()));
        out.put("IsDefault", true);
        return out;
    }

    // ---- actions

    static List<Action> parseActions(JsonNode node, String field) {
        List<Action> out = new ArrayList<>();
        JsonNode list = node.get(field);
        if (list == null) {
            return out;
        }
        for (JsonNode a : list) {
            Action.Forward forward = null;
            JsonNode fc = a.get("ForwardConfig");
            String single = text(a, "TargetGroupArn");
            if (fc != null) {
                List<Action.WeightedGroup> groups = new ArrayList<>();
                JsonNode tgs = fc.get("TargetGroups");
                if (tgs != null) {
                    tgs.forEach(t -> groups.add(new Action.WeightedGroup(text(t, "TargetGroupArn"),
                            t.hasNonNull("Weight") ? t.get("Weight").asInt() : 1)));
                }
                JsonNode st = fc.get("TargetGroupStickinessConfig");
                forward = new Action.Forward(groups, st != null && st.path("Enabled").asBoolean(false),
                        st == null ? null : integer(st, "DurationSeconds"));
                if (single != null && groups.isEmpty()) {
                    forward = new Action.Forward(List.of(new Action.WeightedGroup(single, 1)),
                            forward.stickinessEnabled(), forward.stickinessSeconds());
                } else if (single != null && !(groups.size() == 1 && groups.get(0).targetGroupArn().equals(single))) {
                    throw LbError.INVALID_CONFIGURATION.exception("You cannot specify both a target group ARN and "
                            + "a forward config unless they name the same single target group");
                }
            } else if (single != null) {
                forward = new Action.Forward(List.of(new Action.WeightedGroup(single, 1)), false, null);
            }
            JsonNode fr = a.get("FixedResponseConfig");
            JsonNode rd = a.get("RedirectConfig");
            out.add(new Action(text(a, "Type"), integer(a, "Order"), forward,
                    fr == null ? null : new Action.FixedResponse(text(fr, "StatusCode"), text(fr, "ContentType"),
                            text(fr, "MessageBody")),
                    rd == null ? null : new Action.Redirect(text(rd, "Protocol"), text(rd, "Port"), text(rd, "Host"),
                            text(rd, "Path"), text(rd, "Query"), text(rd, "StatusCode"))));
        }
        return out;
    }

    static ArrayNode actions(List<Action> actions) {
        ArrayNode out = array();
        for (Action a : actions) {
            ObjectNode o = object().put("Type", a.type());
            if (a.order() != null) {
                o.put("Order", a.order());
            }
            if (a.forward() != null) {
                List<Action.WeightedGroup> groups = a.forward().targetGroups();
                if (groups.size() == 1) {
                    o.put("TargetGroupArn", groups.get(0).targetGroupArn());
                }
                ObjectNode fc = object();
                ArrayNode tgs = array();
                groups.forEach(g -> tgs.add(object().put("TargetGroupArn", g.targetGroupArn()).put("Weight", g.weight())));
                fc.set("TargetGroups", tgs);
                ObjectNode st = object().put("Enabled", a.forward().stickinessEnabled());
                if (a.forward().stickinessSeconds() != null) {
                    st.put("DurationSeconds", a.forward().stickinessSeconds());
                }
                fc.set("TargetGroupStickinessConfig", st);
                o.set("ForwardConfig", fc);
            }
            if (a.fixedResponse() != null) {
                ObjectNode fr = object().put("StatusCode", a.fixedResponse().statusCode());
                if (a.fixedResponse().contentType() != null) {
                    fr.put("ContentType", a.fixedResponse().contentType());
                }
                if (a.fixedResponse().messageBody() != null) {
                    fr.put("MessageBody", a.fixedResponse().messageBody());
                }
                o.set("FixedResponseConfig", fr);
            }
            if (a.redirect() != null) {
                Action.Redirect r = a.redirect();
                o.set("RedirectConfig", object().put("Protocol", r.protocol()).put("Port", r.port())
                        .put("Host", r.host()).put("Path", r.path()).put("Query", r.query())
                        .put("StatusCode", r.statusCode()));
            }
            out.add(o);
        }
        return out;
    }

    // ---- conditions

    static List<Condition> parseConditions(JsonNode node, String field) {
        List<Condition> out = new ArrayList<>();
        JsonNode list = node.get(field);
        if (list == null) {
            return out;
        }
        for (JsonNode c : list) {
            String name = text(c, "Field");
            List<String> values = strings(c, "Values");
            String header = null;
            List<Condition.KeyValue> query = new ArrayList<>();
            String config = name == null ? null : switch (name) {
                case Condition.PATH -> "PathPatternConfig";
                case Condition.HOST -> "HostHeaderConfig";
                case Condition.HEADER -> "HttpHeaderConfig";
                case Condition.METHOD -> "HttpRequestMethodConfig";
                case Condition.SOURCE_IP -> "SourceIpConfig";
                case Condition.QUERY -> "QueryStringConfig";
                default -> null;
            };
            JsonNode cfg = config == null ? null : c.get(config);
            if (cfg != null) {
                if (Condition.QUERY.equals(name)) {
                    JsonNode pairs = cfg.get("Values");
                    if (pairs != null) {
                        pairs.forEach(p -> query.add(new Condition.KeyValue(text(p, "Key"), text(p, "Value"))));
                    }
                } else {
                    List<String> configured = strings(cfg, "Values");
                    if (values.isEmpty()) {
                        values = configured;
                    }
                    if (Condition.HEADER.equals(name)) {
                        header = text(cfg, "HttpHeaderName");
                    }
                }
            }
            out.add(new Condition(name == null ? "" : name, values, header, query));
        }
        return out;
    }

    static ArrayNode conditions(List<Condition> conditions) {
        ArrayNode out = array();
        for (Condition c : conditions) {
            ObjectNode o = object().put("Field", c.field());
            switch (c.field()) {
                case Condition.PATH -> {
                    o.set("Values", strings(c.values()));
                    o.set("PathPatternConfig", object().set("Values", strings(c.values())));
                }
                case Condition.HOST -> {
                    o.set("Values", strings(c.values()));
                    o.set("HostHeaderConfig", object().set("Values", strings(c.values())));
                }
                case Condition.HEADER -> o.set("HttpHeaderConfig", object().put("HttpHeaderName", c.headerName())
                        .set("Values", strings(c.values())));
                case Condition.METHOD -> o.set("HttpRequestMethodConfig", object().set("Values", strings(c.values())));
                case Condition.SOURCE_IP -> o.set("SourceIpConfig", object().set("Values", strings(c.values())));
                case Condition.QUERY -> {
                    ArrayNode pairs = array();
                    c.queryValues().forEach(kv -> {
                        ObjectNode p = object();
                        if (kv.key() != null) {
                            p.put("Key", kv.key());
                        }
                        pairs.add(p.put("Value", kv.value()));
                    });
                    o.set("QueryStringConfig", object().set("Values", pairs));
                }
                default -> {
                }
            }
            out.add(o);
        }
        return out;
    }
}
