package io.berth.ecs;

import io.berth.aws.json.JsonService;
import io.berth.aws.model.ServiceModel;
import io.berth.core.arn.Account;
import io.berth.core.error.ErrorCode;
import io.berth.core.store.StateStore;
import io.berth.ecs.account.AccountSettings;
import io.berth.ecs.cluster.ClusterOperations;
import io.berth.ecs.cluster.ClusterUsage;
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

    public static JsonService build(StateStore store, Account account, ClusterUsage usage) {
        Tags tags = new Tags(store);
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
        return errors(builder).build();
    }

    /** The one table from domain codes to ECS wire errors. */
    private static JsonService.Builder errors(JsonService.Builder b) {
        return b.error(ErrorCode.INVALID_PARAMETER, "InvalidParameterException")
                .error(ErrorCode.CLIENT, "ClientException")
                .error(ErrorCode.CLUSTER_NOT_FOUND, "ClusterNotFoundException")
                .error(ErrorCode.CLUSTER_CONTAINS_SERVICES, "ClusterContainsServicesException")
                .error(ErrorCode.CLUSTER_CONTAINS_TASKS, "ClusterContainsTasksException")
                .error(ErrorCode.CLUSTER_CONTAINS_CONTAINER_INSTANCES, "ClusterContainsContainerInstancesException")
                .error(ErrorCode.RESOURCE_NOT_FOUND, "ResourceNotFoundException")
                .error(ErrorCode.RESOURCE_IN_USE, "ResourceInUseException")
                .error(ErrorCode.LIMIT_EXCEEDED, "LimitExceededException")
                .error(ErrorCode.UNSUPPORTED, "UnsupportedFeatureException")
                .error(ErrorCode.CONFLICT, "ConflictException")
                .error(ErrorCode.INTERNAL, "ServerException");
    }
}
