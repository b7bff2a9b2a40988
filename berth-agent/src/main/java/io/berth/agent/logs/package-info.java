/**
 * The agent's awslogs driver: containers keep Docker's json-file driver, the agent follows their
 * output (stdout and stderr, with Docker's timestamps), assembles events (awslogs-datetime-format,
 * awslogs-multiline-pattern), buffers them on disk in sealed batches and ships them to Berth's
 * CloudWatch Logs API with batch ids, so that neither an agent nor a server restart loses or
 * doubles a line.
 *
 * <pre>
 *   LogShipping (Agent.Services) ─ engine hooks: beforeStart (create group/stream, refuse a missing
 *        │                          group), beforeRemove (read the output to its end)
 *        └─ per container: ContainerShipper ─ reader: ContainerLogs ─▶ Cursor ─▶ EventAssembler ─▶ Spool
 *                                           └ sender: Spool batches ─▶ PutLogEvents (berth:&lt;producer&gt;:&lt;n&gt;)
 * </pre>
 */
package io.berth.agent.logs;
