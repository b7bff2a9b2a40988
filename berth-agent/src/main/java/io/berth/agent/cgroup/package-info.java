/**
 * Task cgroups ({@link io.berth.core.runtime.TaskCgroups}) on the cgroup filesystem, for an engine
 * with the cgroupfs driver: cgroup v1 ({@link io.berth.agent.cgroup.CgroupV1TaskCgroups}) and v2
 * ({@link io.berth.agent.cgroup.CgroupV2TaskCgroups}); {@link io.berth.agent.cgroup.HostCgroups}
 * picks one for the engine's driver and version, or says why there is none.
 *
 * <pre>
 *   v1: /sys/fs/cgroup/memory/ecs/&lt;task id&gt;/memory.limit_in_bytes, memory.use_hierarchy
 *       /sys/fs/cgroup/cpu/ecs/&lt;task id&gt;/cpu.cfs_period_us, cpu.cfs_quota_us | cpu.shares
 *       /sys/fs/cgroup/&lt;any&gt;/ecs/&lt;task id&gt;/&lt;container id&gt;   (made by the engine)
 *   v2: /sys/fs/cgroup/ecs/&lt;task id&gt;/memory.max, cpu.max | cpu.weight
 *       (+cpu +memory in cgroup.subtree_control of /, /ecs and the task's)
 * </pre>
 */
package io.berth.agent.cgroup;
