/**
 * The task engine: runs the tasks the server assigns to this host on its container engine, as the
 * ECS agent does, built as a reconcile loop (see {@link io.berth.agent.engine.TaskEngine}).
 *
 * <ul>
 *   <li>{@link io.berth.agent.engine.TaskSpecs}: task definition + overrides (ECS JSON) → engine terms,
 *       and the refusals (awsvpc, secrets, EFS, ...). The only place that reads the wire shapes.</li>
 *   <li>{@link io.berth.agent.engine.TaskRecord} / {@link io.berth.agent.engine.ContainerRecord}:
 *       what the engine knows, immutable; phases {@link io.berth.agent.engine.TaskPhase} and
 *       {@link io.berth.agent.engine.ContainerPhase} (finer than the wire; {@code wire()} maps).</li>
 *   <li>{@link io.berth.agent.engine.Transitions} (outcomes, observations, the server's word → record)
 *       and {@link io.berth.agent.engine.TaskPlanner} (record → next record + actions): pure.</li>
 *   <li>{@link io.berth.agent.engine.ActionRunner}: actions → container engine calls → outcomes.</li>
 *   <li>{@link io.berth.agent.engine.TaskReports}: record → the level-triggered report.</li>
 * </ul>
 */
package io.berth.agent.engine;
