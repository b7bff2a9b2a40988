package io.berth.ecs.cluster;

/**
 * What runs in a cluster, for its counts and statistics and for DeleteCluster's checks. Filled in
 * by the capabilities that own instances, tasks and services.
 */
public interface ClusterUsage {
    Counts counts(String clusterName);

    /**
     * @param registeredContainerInstances ACTIVE or DRAINING container instances
     * @param runningEc2Tasks tasks whose last status is RUNNING, by launch type
     * @param pendingEc2Tasks tasks not yet RUNNING and not STOPPED, by launch type
     * @param activeEc2Services services in ACTIVE status, by launch type
     * @param drainingEc2Services services in DRAINING status, by launch type
     */
    record Counts(int registeredContainerInstances,
                  int runningEc2Tasks, int runningFargateTasks, int runningExternalTasks,
                  int pendingEc2Tasks, int pendingFargateTasks, int pendingExternalTasks,
                  int activeEc2Services, int activeFargateServices, int activeExternalServices,
                  int drainingEc2Services, int drainingFargateServices, int drainingExternalServices) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        public int runningTasks() {
            return runningEc2Tasks + runningFargateTasks + runningExternalTasks;
        }

        public int pendingTasks() {
            return pendingEc2Tasks + pendingFargateTasks + pendingExternalTasks;
        }

        public int activeServices() {
            return activeEc2Services + activeFargateServices + activeExternalServices;
        }

        public int drainingServices() {
            return drainingEc2Services + drainingFargateServices + drainingExternalServices;
        }
    }
}
