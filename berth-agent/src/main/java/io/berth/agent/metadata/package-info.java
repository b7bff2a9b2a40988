/**
 * The task metadata endpoint v4 (and v3) the agent serves to its containers, on the host's address on
 * Docker's default bridge, with per-container secret URIs ({@code ECS_CONTAINER_METADATA_URI_V4}), and
 * the container stats sampler behind its {@code /stats} (and behind task CPU and memory figures).
 */
package io.berth.agent.metadata;
