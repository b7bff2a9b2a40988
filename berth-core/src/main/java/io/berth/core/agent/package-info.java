/**
 * The agent channel: what a host agent and the server say to each other, over HTTP on the server
 * port (JSON bodies of these records).
 *
 * <pre>
 *  agent                                   server
 *    | POST /_berth/agent/v1/register  (SigV4)  |   Registration -> Registered {instance ARN, token}
 *    | GET  /_berth/agent/v1/desired?after=V    |   long poll (<= 20 s): DesiredState with version > V
 *    | POST /_berth/agent/v1/report             |   AgentReport {sequence, tasks[]} -> ReportAck
 * </pre>
 *
 * <ul>
 *   <li>After registering, every call carries {@code Authorization: Bearer <token>}; the token names
 *       one container instance. An agent keeps its instance ARN and token in its state directory and
 *       re-registers with them after a restart (same instance, same {@code i-...} id).</li>
 *   <li>{@code after=-1} asks for the whole desired state at once, whatever its version (an agent's
 *       first poll).</li>
 *   <li>Desired state is versioned per instance: each change to the tasks assigned to the instance
 *       (a new task, a desired status change) increments the version. The agent holds the last
 *       version it applied; a reconnect simply asks again with it.</li>
 *   <li>Reports are level-triggered: each {@link io.berth.core.agent.TaskReport} carries the whole
 *       current state of a task, so a report applied twice or late changes nothing. Sequences
 *       increase per agent run; the server ignores a report whose sequence is not above the last it
 *       applied for the instance, unless {@code fresh} (a restarted agent) is set, which resets it.
 *       A report with no tasks is a heartbeat. {@code ReportAck.appliedSequence} equals the
 *       report's own sequence when it was applied (or was a heartbeat), else the server's last.</li>
 *   <li>A restarted agent lists its containers by label ({@code com.amazonaws.ecs.task-arn},
 *       {@code com.amazonaws.ecs.container-name}, {@code com.amazonaws.ecs.cluster}, and
 *       {@code berth.container-instance}) and adopts them; it never creates a second container for a
 *       (task, container name) pair it finds.</li>
 * </ul>
 */
package io.berth.core.agent;
