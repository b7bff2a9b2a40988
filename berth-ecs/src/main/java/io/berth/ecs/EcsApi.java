package io.berth.ecs;

import io.berth.aws.json.JsonService;
import io.berth.aws.model.ServiceModel;
import io.berth.core.arn.Account;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.StateStore;
import io.berth.ecs.account.AccountSettings;
import io.berth.ecs.cluster.ClusterOperations;
import io.berth.aws.sigv4.SigV4Verifier;
import io.berth.core.arn.Arn;
import io.berth.ecs.agent.AgentChannelRoute;
import io.berth.ecs.agent.AgentSessions;
import io.berth.ecs.instance.AgentPresence;
import io.berth.ecs.instance.ContainerInstanceOperations;
import io.berth.ecs.instance.ContainerInstances;
import io.berth.ecs.task.TaskOperations;
import io.berth.ecs.task.Tasks;
import java.time.Duration;
import java.time.InstantSource;
import io.berth.ecs.cluster.Clusters;
import io.berth.ecs.tag.TagOperations;
import io.berth.ecs.tag.Tags;
import io.berth.ecs.taskdef.TaskDefinitionOperations;
import io.berth.ecs.taskdef.TaskDefinitionRef;
import io.berth.ecs.taskdef.TaskDefinitions;

/** Assembles the ECS API (AWS JSON 1.1, {@code AmazonEC2ContainerServiceV20141113}) over a store. */
public final class EcsApi {
    private static final ServiceModel MODEL = ServiceModel.load(EcsApi.class, "ecs-model.json");

    private EcsApi() {
    }

    public static ServiceModel model() {
        return MODEL;
    }

    /** The ECS API and the agent channel that feeds it. */
    public record Ecs(JsonService api, AgentChannelRoute agentChannel, AgentSessions sessions, Tasks tasks,
                      TaskDefinitions taskDefinitions, AutoCloseable serviceScheduler) {
    }

    public static Ecs build(StateStore store, Account account, SigV4Verifier verifier, InstantSource clock) {
        return build(store, account, verifier, clock, io.berth.ecs.service.TargetRegistry.none(),
                io.berth.core.metrics.Metrics.NONE, io.berth.core.monitoring.MetricSink.NONE);
    }

    /** The ECS API whose services may run behind load balancers, registered through {@code targets}. */
    public static Ecs build(StateStore store, Account account, SigV4Verifier verifier, InstantSource clock,
                            io.berth.ecs.service.TargetRegistry targets) {
        return build(store, account, verifier, clock, targets, io.berth.core.metrics.Metrics.NONE,
                io.berth.core.monitoring.MetricSink.NONE);
    }

    /** As above, recording placement, controller and agent channel meters in {@code metrics}. */
    public static Ecs build(StateStore store, Account account, SigV4Verifier verifier, InstantSource clock,
                            io.berth.core.metrics.Metrics metrics) {
        return build(store, account, verifier, clock, metrics, io.berth.core.monitoring.MetricSink.NONE);
    }

    /** As above, publishing the AWS/ECS CloudWatch metrics (task CPU and memory use) into {@code sink}. */
    public static Ecs build(StateStore store, Account account, SigV4Verifier verifier, InstantSource clock,
                            io.berth.core.metrics.Metrics metrics, io.berth.core.monitoring.MetricSink sink) {
        return build(store, account, verifier, clock, io.berth.ecs.service.TargetRegistry.none(), metrics, sink);
    }

    /**
     * The ECS API: services behind load balancers registered through {@code targets}, meters in
     * {@code metrics}, AWS/ECS CloudWatch metrics into {@code sink}.
     */
    public static Ecs build(StateStore store, Account account, SigV4Verifier verifier, InstantSource clock,
                            io.berth.ecs.service.TargetRegistry targets, io.berth.core.metrics.Metrics metrics,
                            io.berth.core.monitoring.MetricSink sink) {
        Tags tags = new Tags(store);
        EcsClusterUsage usage = new EcsClusterUsage();
        Clusters clusters = new Clusters(store, account, usage);
        ClusterOperations clusterOps = new ClusterOperations(clusters, tags);
        AccountSettings settings = new AccountSettings(store);
        TagOperations tagOps = new TagOperations(store, tags, account)
                .resourceType("cluster", arn -> clusters.find(arn.resourceId()).filter(c -> c.active()).isPresent());
        TaskDefinitions taskDefinitions = new TaskDefinitions(store);
        tagOps.resourceType("task-definition", arn -> TaskDefinitionRef.parse(arn.toString(), account)
                .flatMap(taskDefinitions::find).isPresent());

        JsonService.Builder builder = JsonService.builder(MODEL)
                .operation("CreateCluster", clusterOps::createCluster)
                .operation("DescribeClusters", clusterOps::describeClusters)
                .operation("ListClusters", clusterOps::listClusters)
                .operation("UpdateCluster", clusterOps::updateCluster)
                .operation("UpdateClusterSettings", clusterOps::updateClusterSettings)
                .operation("DeleteCluster", clusterOps::deleteCluster)
                .operation("TagResource", tagOps::tagResource)
                .operation("UntagResource", tagOps::untagResource)
                .operation("ListTagsForResource", tagOps::listTagsForResource)
                .operation("PutAccountSetting", settings::putAccountSetting)
                .operation("PutAccountSettingDefault", settings::putAccountSettingDefault)
                .operation("DeleteAccountSetting", settings::deleteAccountSetting)
                .operation("ListAccountSettings", settings::listAccountSettings);
        new TaskDefinitionOperations(taskDefinitions, tags).operations().forEach(builder::operation);

        ContainerInstances instances = new ContainerInstances(store, account, clusters,
                new AgentPresence(clock, Duration.ofSeconds(30)));
        Tasks tasks = new Tasks(store, account, clusters, instances, taskDefinitions, tags, clock, metrics);
        usage.bind(instances, tasks);
        tagOps.resourceType("task", arn -> taskOf(arn, tasks).isPresent())
                .resourceType("container-instance", arn -> instanceOf(arn, instances).isPresent());
        io.berth.ecs.service.Services services = new io.berth.ecs.service.Services(store, account);
        TaskOperations taskOps = new TaskOperations(tasks, tags, io.berth.ecs.service.ServiceLoadBalancer.behind(services));
        builder.operation("RunTask", taskOps::runTask)
                .operation("StartTask", taskOps::startTask)
                .operation("StopTask", taskOps::stopTask)
                .operation("DescribeTasks", taskOps::describeTasks)
                .operation("ListTasks", taskOps::listTasks);
        ContainerInstanceOperations instanceOps = new ContainerInstanceOperations(instances, clusters, tasks, tags, clock);
        builder.operation("RegisterContainerInstance", instanceOps::registerContainerInstance)
                .operation("DeregisterContainerInstance", instanceOps::deregisterContainerInstance)
                .operation("DescribeContainerInstances", instanceOps::describeContainerInstances)
                .operation("ListContainerInstances", instanceOps::listContainerInstances)
                .operation("UpdateContainerInstancesState", instanceOps::updateContainerInstancesState)
                .operation("PutAttributes", instanceOps::putAttributes)
                .operation("DeleteAttributes", instanceOps::deleteAttributes)
                .operation("ListAttributes", instanceOps::listAttributes);
        usage.bindServices(services);
        new io.berth.ecs.service.ServiceOperations(services, tasks, taskDefinitions, tags, targets).operations()
                .forEach(builder::operation);
        tagOps.resourceType("service", arn -> services.findByArn(arn).filter(s -> s.active()).isPresent());
        AgentSessions sessions = new AgentSessions(store, instances, tasks, clock, metrics, sink);
        AgentChannelRoute channel = new AgentChannelRoute(sessions, instances, verifier, clock);
        AutoCloseable scheduler = new io.berth.ecs.service.ServiceController(store, services, tasks, taskDefinitions,
                tags, clock, io.berth.ecs.service.ServiceController.SETTLE, targets, metrics).start();
        return new Ecs(errors(builder).build(), channel, sessions, tasks, taskDefinitions, scheduler);
    }

    private static java.util.Optional<io.berth.core.task.Task> taskOf(Arn arn, Tasks tasks) {
        String rest = arn.resourceId();
        int slash = rest.lastIndexOf('/');
        return slash < 0 ? java.util.Optional.empty() : tasks.find(rest.substring(0, slash), rest.substring(slash + 1));
    }

    private static java.util.Optional<io.berth.core.instance.ContainerInstance> instanceOf(Arn arn,
                                                                                         ContainerInstances instances) {
        String rest = arn.resourceId();
        int slash = rest.lastIndexOf('/');
        return slash < 0 ? java.util.Optional.empty()
                : instances.find(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The one table from domain codes to ECS wire errors. */
    private static JsonService.Builder errors(JsonService.Builder b) {
        return b.error(ErrorCode.INVALID_PARAMETER, "InvalidParameterException")
                .error(ErrorCode.CLIENT, "ClientException")
                .error(ErrorCode.CLUSTER_NOT_FOUND, "ClusterNotFoundException")
                .error(ErrorCode.CLUSTER_CONTAINS_SERVICES, "ClusterContainsServicesException")
                .error(ErrorCode.CLUSTER_CONTAINS_TASKS, "ClusterContainsTasksException")
                .error(ErrorCode.CLUSTER_CONTAINS_CONTAINER_INSTANCES, "ClusterContainsContainerInstancesException")
                .error(ErrorCode.SERVICE_NOT_FOUND, "ServiceNotFoundException")
                .error(ErrorCode.SERVICE_NOT_ACTIVE, "ServiceNotActiveException")
                .error(ErrorCode.RESOURCE_NOT_FOUND, "ResourceNotFoundException")
                .error(ErrorCode.RESOURCE_IN_USE, "ResourceInUseException")
                .error(ErrorCode.LIMIT_EXCEEDED, "LimitExceededException")
                .error(ErrorCode.UNSUPPORTED, "UnsupportedFeatureException")
                .error(ErrorCode.CONFLICT, "ConflictException")
                .error(ErrorCode.INTERNAL, "ServerException");
    }
}
