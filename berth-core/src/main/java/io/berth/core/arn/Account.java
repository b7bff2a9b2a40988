package io.berth.core.arn;

import java.util.Objects;
import java.util.regex.Pattern;

/** The account and region this Berth instance speaks for; every ARN it makes uses them. */
public record Account(String accountId, String region) {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    public Account {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(region);
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
        }
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("not a region name: " + region);
        }
    }

    public String partition() {
        return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    public Arn arn(String service, String resource) {
        return new Arn(partition(), service, region, accountId, resource);
    }
}
