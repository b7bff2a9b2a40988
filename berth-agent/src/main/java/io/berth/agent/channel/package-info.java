/**
 * The agent's end of the agent channel ({@link io.berth.core.agent}): the
 * {@link io.berth.agent.channel.ServerChannel} port, its HTTP adapter, typed failures and the
 * backoff the loops retry with.
 */
package io.berth.agent.channel;
