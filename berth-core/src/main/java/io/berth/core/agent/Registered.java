package io.berth.core.agent;

/** The server's answer to a {@link Registration}. */
public record Registered(String containerInstanceArn, String ec2InstanceId, String token) {
}
