package io.berth.aws;

import io.berth.core.arn.Account;
import java.time.Instant;

/**
 * Who asked, and when: handed to every operation after the edge has verified the request.
 *
 * @param requestId the {@code x-amzn-RequestId} the response carries
 * @param account the account and region Berth serves
 * @param accessKeyId the verified caller's access key
 * @param receivedAt when the edge received the request
 */
public record RequestContext(String requestId, Account account, String accessKeyId, Instant receivedAt) {

    /** The caller as AWS records it in fields such as {@code registeredBy}. */
    public String callerArn() {
        return "arn:" + account.partition() + ":iam::" + account.accountId() + ":root";
    }
}
