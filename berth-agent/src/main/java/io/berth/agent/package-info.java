/**
 * The Berth host agent: {@link io.berth.agent.Agent} registers the host as a container instance and
 * runs the desired-state loop, the report loop and the task engine; {@link io.berth.agent.AgentConfig}
 * says how. Adapters live in the sub-packages: {@code runtime} (Docker Engine), {@code channel}
 * (the server), {@code state} (the state directory).
 */
package io.berth.agent;
