/**
 * ECS task definitions: RegisterTaskDefinition, DescribeTaskDefinition, ListTaskDefinitions,
 * ListTaskDefinitionFamilies, DeregisterTaskDefinition and DeleteTaskDefinitions.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.berth.ecs.taskdef.TaskDefinitionOperations}: the six {@code JsonOperation}s.</li>
 *   <li>{@link io.berth.ecs.taskdef.TaskDefinitionValidator} (with {@code ContainerRules},
 *       {@code FargateRules}, {@link io.berth.ecs.taskdef.TaskSize}): what ECS refuses.</li>
 *   <li>{@link io.berth.ecs.taskdef.TaskDefinitions}: the store work, optimistic and retried.</li>
 *   <li>{@link io.berth.ecs.taskdef.TaskDefinition}: the stored revision, with typed accessors for the
 *       scheduler and the agent ({@code taskCpu}, {@code taskMemory}, {@code networkMode},
 *       {@code containers}, ...).</li>
 *   <li>{@link io.berth.ecs.taskdef.TaskDefinitionJson}: the wire form, registered members plus what
 *       ECS adds ({@code Compatibilities}, {@code RequiredAttributes}, defaults).</li>
 * </ul>
 *
 * <h2>Store layout</h2>
 * <pre>
 *   ecs-taskdef          web:0000000001  {family, revision, status, registeredAt, ..., spec}
 *                        web:0000000002
 *                        web-api:0000000001
 *   ecs-taskdef-family   web             {name, lastRevision: 2, active, inactive, deleting}
 *                        web-api
 *   ecs-tags             arn:aws:ecs:...:task-definition/web:1   [{key, value}]
 * </pre>
 * A family record is written in the same transaction as every revision change of its family and
 * is never deleted, so revision numbers are never reused. Listings walk the family records (in
 * name order) and each family's revisions (prefix {@code family:}, in revision order).
 *
 * <h2>AWS messages and where they come from</h2>
 * Taken from AWS documentation or quoted from real AWS responses in public issue threads:
 * <ul>
 *   <li>"Invalid 'cpu' setting for task." (ClientException: ECS developer guide
 *       task-cpu-memory-error; InvalidParameterException for an unreadable value:
 *       oranmoshai/ecsServiceRestart#2)</li>
 *   <li>"No Fargate configuration exists for given values" (task-cpu-memory-error; the suffix with
 *       the values is the form Berth's brief gives)</li>
 *   <li>"Fargate only supports network mode ‘awsvpc’." (aws/amazon-ecs-cli#1145)</li>
 *   <li>"Fargate requires that 'cpu' be defined at the task level.", "The sum of all container 'cpu'
 *       values cannot be greater than the value of the task 'cpu'." (klothoplatform/klotho#892)</li>
 *   <li>"Tasks using the Fargate launch type do not support ipcMode."
 *       (cn-terraform/terraform-aws-ecs-fargate#2)</li>
 *   <li>"Fargate requires task definition to have execution role ARN to support ECR images." (qiita)</li>
 *   <li>"Family contains invalid characters." (aws/amazon-ecs-cli#37); "Container.name contains
 *       invalid characters." (ansible/ansible#22860); "Container.name should not be null or empty."
 *       (awsdocs/aws-cloudformation-user-guide#612); "Container.image should not be null or empty."
 *       (prefect-aws#159, moto's AWS-checked tests); "Container.image contains invalid characters."</li>
 *   <li>"Container list cannot be empty." (aws-cloudformation-user-guide#454); "Too many
 *       containers." (aws/amazon-ecs-cli#184); "Container names must be unique within a Task
 *       Definition." (Shippable/support#2946)</li>
 *   <li>"Invalid setting for container 'x'. At least one of 'memory' or 'memoryReservation' must be
 *       specified." (moto#7280 run against AWS, aws/aws-cli#4453); "Invalid 'memory' setting for
 *       container 'x'." (ansible/ansible#67647); "The 'memory' setting for container 'x' is greater
 *       than for the task." (pulumi/pulumi-awsx#188); "The sum of all container 'memoryReservation'
 *       values cannot be greater than the value of the task 'memory'."
 *       (cloudnativedaysjp/dreamkast-infra#4766)</li>
 *   <li>"Task definition doesn't have any essential container." (eagletmt/hako#68); "Cannot depend
 *       on container + 'x' because it does not exist" (eagletmt/hako#99, dagster#6926, AWS's typo
 *       kept); "A dependency container with SUCCESS or COMPLETE condition cannot be an essential
 *       container" (boto/boto3#2436)</li>
 *   <li>"When networkMode=awsvpc, the host ports and container ports in port mappings must match."
 *       (aws/amazon-ecs-cli#1014, pulumi-awsx#935); "Invalid 'containerPort' setting for container
 *       'x'." (aws/aws-cli#7288, aws/aws-cdk#8762); "Unknown volume 'x'." (ansible/ansible#35751)</li>
 *   <li>"Unable to describe task definition." (moto#5910, checked against AWS); "Too many concurrent
 *       attempts to create a new revision of the specified family."
 *       (hashicorp/terraform-provider-aws#9777)</li>
 * </ul>
 * Everything else (health check ranges, ulimits, volumes, port ranges, dependency cycles,
 * deregistration and deletion failures, paging) is written in AWS's style but not confirmed
 * against AWS. Output shapes follow the aws-cli examples for register-, describe-, deregister- and
 * delete-task-definitions (compatibilities {@code ["EXTERNAL","EC2"]} without awsvpc).
 */
package io.berth.ecs.taskdef;
