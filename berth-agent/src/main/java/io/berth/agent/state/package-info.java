/** What the agent keeps on disk between runs: its container instance ARN and token ({@link io.berth.agent.state.StateDirectory}). */
package io.berth.agent.state;
