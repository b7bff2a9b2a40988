package io.berth.ecs.account;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.aws.RequestContext;
import io.berth.core.error.BerthException;
import io.berth.core.store.ConflictException;
import io.berth.core.store.Mutation;
import io.berth.core.store.StateStore;
import io.berth.core.store.Versioned;
import io.berth.ecs.EcsJson;
import io.berth.ecs.Paging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ECS account settings: per-principal values over account defaults over AWS's defaults. Stored in
 * kind {@value #KIND} keyed {@code principalArn|name}; the account default's principal is {@code *}.
 */
public final class AccountSettings {
    public static final String KIND = "ecs-account-setting";
    private static final String ACCOUNT_DEFAULT = "*";

    /** AWS's defaults, in the order ListAccountSettings shows effective settings. */
    private static final Map<String, String> AWS_DEFAULTS = new LinkedHashMap<>();
    private static final Map<String, Set<String>> VALUES = Map.ofEntries(
            Map.entry("serviceLongArnFormat", Set.of("enabled", "disabled")),
            Map.entry("taskLongArnFormat", Set.of("enabled", "disabled")),
            Map.entry("containerInstanceLongArnFormat", Set.of("enabled", "disabled")),
            Map.entry("awsvpcTrunking", Set.of("enabled", "disabled")),
            Map.entry("containerInsights", Set.of("enabled", "disabled", "enhanced")),
            Map.entry("fargateFIPSMode", Set.of("enabled", "disabled")),
            Map.entry("tagResourceAuthorization", Set.of("on", "off")),
            Map.entry("fargateTaskRetirementWaitPeriod", Set.of("0", "7", "14")),
            Map.entry("guardDutyActivate", Set.of("on", "off")),
            Map.entry("defaultLogDriverMode", Set.of("blocking", "non-blocking")),
            Map.entry("fargateEventWindows", Set.of("enabled", "disabled")));

    static {
        AWS_DEFAULTS.put("serviceLongArnFormat", "enabled");
        AWS_DEFAULTS.put("taskLongArnFormat", "enabled");
        AWS_DEFAULTS.put("containerInstanceLongArnFormat", "enabled");
        AWS_DEFAULTS.put("awsvpcTrunking", "disabled");
        AWS_DEFAULTS.put("containerInsights", "disabled");
        AWS_DEFAULTS.put("fargateFIPSMode", "disabled");
        AWS_DEFAULTS.put("tagResourceAuthorization", "on");
        AWS_DEFAULTS.put("fargateTaskRetirementWaitPeriod", "7");
        AWS_DEFAULTS.put("guardDutyActivate", "off");
        AWS_DEFAULTS.put("defaultLogDriverMode", "non-blocking");
        AWS_DEFAULTS.put("fargateEventWindows", "disabled");
    }

    /** A stored setting. */
    public record Setting(String name, String value, String principalArn) {
    }

    private final StateStore store;

    public AccountSettings(StateStore store) {
        this.store = store;
    }

    /** The value in force for {@code principalArn}. */
    public String effective(String name, String principalArn) {
        return find(principalArn, name).or(() -> find(ACCOUNT_DEFAULT, name)).map(Setting::value)
                .orElse(AWS_DEFAULTS.get(name));
    }

    public ObjectNode putAccountSetting(RequestContext ctx, ObjectNode in) {
        String principal = principal(ctx, in);
        Setting setting = put(principal, in.get("name").asText(), in.get("value").asText());
        return single(setting, "user");
    }

    public ObjectNode putAccountSettingDefault(RequestContext ctx, ObjectNode in) {
        String name = in.get("name").asText();
        Setting setting = put(ACCOUNT_DEFAULT, name, in.get("value").asText());
        return single(new Setting(name, setting.value(), ctx.callerArn()), "user");
    }

    public ObjectNode deleteAccountSetting(RequestContext ctx, ObjectNode in) {
        String principal = principal(ctx, in);
        String name = in.get("name").asText();
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> read = store.get(KIND, key(principal, name));
            if (read.isEmpty()) {
                throw BerthException.invalidParameter("The specified setting " + name
                        + " is not set for the principal " + principal + ".");
            }
            try {
                store.commit(List.of(Mutation.delete(read.get())), Duration.ofSeconds(10));
                Setting deleted = EcsJson.decode(read.get().value(), Setting.class);
                return single(deleted, "user");
            } catch (ConflictException e) {
                if (attempt > 8) {
                    throw e;
                }
            }
        }
    }

    public ObjectNode listAccountSettings(RequestContext ctx, ObjectNode in) {
        String principal = principal(ctx, in);
        String nameFilter = in.path("name").asText(null);
        String valueFilter = in.path("value").asText(null);
        if (valueFilter != null && nameFilter == null) {
            throw BerthException.invalidParameter("The value parameter can only be used together with the name parameter.");
        }
        boolean effective = in.path("effectiveSettings").asBoolean(false);
        List<ObjectNode> all = new ArrayList<>();
        for (String name : AWS_DEFAULTS.keySet()) {
            if (nameFilter != null && !nameFilter.equals(name)) {
                continue;
            }
            Optional<Setting> own = find(principal, name);
            Optional<Setting> accountDefault = find(ACCOUNT_DEFAULT, name);
            ObjectNode node = null;
            if (own.isPresent()) {
                node = setting(own.get(), "user");
            } else if (effective) {
                String value = accountDefault.map(Setting::value).orElse(AWS_DEFAULTS.get(name));
                node = setting(new Setting(name, value, principal), accountDefault.isPresent() ? "user" : "aws_managed");
            }
            if (node != null && (valueFilter == null || valueFilter.equals(node.get("value").asText()))) {
                all.add(node);
            }
        }
        int limit = Paging.limit(in.has("maxResults") ? in.get("maxResults").asInt() : null, 10, 10);
        String after = Paging.afterKey("account-settings", in.path("nextToken").asText(null));
        int start = 0;
        for (int i = 0; after != null && i < all.size(); i++) {
            if (all.get(i).get("name").asText().equals(after)) {
                start = i + 1;
                break;
            }
        }
        ObjectNode out = EcsJson.object();
        ArrayNode settings = out.putArray("settings");
        int end = Math.min(all.size(), start + limit);
        for (int i = start; i < end; i++) {
            settings.add(all.get(i));
        }
        if (end < all.size()) {
            out.put("nextToken", Paging.token("account-settings", all.get(end - 1).get("name").asText()));
        }
        return out;
    }

    private Setting put(String principal, String name, String value) {
        Set<String> allowed = VALUES.get(name);
        if (allowed == null || !allowed.contains(value)) {
            throw BerthException.invalidParameter("The specified value " + value + " is not valid for the setting "
                    + name + ". Valid values: " + (allowed == null ? "[]" : allowed.stream().sorted().toList()) + ".");
        }
        if ("fargateTaskRetirementWaitPeriod".equals(name) && !ACCOUNT_DEFAULT.equals(principal)) {
            throw BerthException.invalidParameter(
                    "The fargateTaskRetirementWaitPeriod setting can only be set with PutAccountSettingDefault.");
        }
        Setting setting = new Setting(name, value, principal);
        for (int attempt = 0; ; attempt++) {
            Optional<Versioned> read = store.get(KIND, key(principal, name));
            try {
                store.commit(List.of(new Mutation.Put(KIND, key(principal, name),
                        read.map(Versioned::version).orElse(Mutation.ABSENT), EcsJson.encode(setting))),
                        Duration.ofSeconds(10));
                return setting;
            } catch (ConflictException e) {
                if (attempt > 8) {
                    throw e;
                }
            }
        }
    }

    private Optional<Setting> find(String principal, String name) {
        return store.get(KIND, key(principal, name)).map(v -> EcsJson.decode(v.value(), Setting.class));
    }

    private static String principal(RequestContext ctx, ObjectNode in) {
        String p = in.path("principalArn").asText(null);
        if (p == null || p.isEmpty()) {
            return ctx.callerArn();
        }
        if (!p.startsWith("arn:") || !p.contains(":iam::")) {
            throw BerthException.invalidParameter("The principalArn " + p + " is not a valid IAM user, role or root ARN.");
        }
        return p;
    }

    private static String key(String principal, String name) {
        return principal + "|" + name;
    }

    private static ObjectNode single(Setting setting, String type) {
        ObjectNode out = EcsJson.object();
        out.set("setting", setting(setting, type));
        return out;
    }

    private static ObjectNode setting(Setting s, String type) {
        ObjectNode node = EcsJson.object();
        node.put("name", s.name()).put("value", s.value()).put("principalArn", s.principalArn()).put("type", type);
        return node;
    }
}
