package io.berth.core.agent;

/** The server's answer to a report: the sequence it has applied, and the desired version now. */
public record ReportAck(long appliedSequence, long desiredVersion) {
}
