package io.berth.ecs.taskdef;

import static io.berth.ecs.taskdef.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskDefinitionValidatorTest {
    private static final ErrorCode CLIENT = ErrorCode.CLIENT;
    private static final ErrorCode INVALID = ErrorCode.INVALID_PARAMETER;

    /** A container that passes every rule; cases splice their change into it. */
    private static String app(String extra) {
        return "{'name':'app','image':'nginx:1.27','memory':128" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String def(String containers) {
        return "{'family':'web','containerDefinitions':[" + containers + "]}";
    }

    private static String def(String task, String containers) {
        return "{'family':'web'," + task + ",'containerDefinitions':[" + containers + "]}";
    }

    private static String fargate(String task, String containers) {
        return def("'requiresCompatibilities':['FARGATE'],'networkMode':'awsvpc'," + task, containers);
    }

    static Stream<Arguments> refused() {
        String eleven = String.join(",", Stream.iterate(1, i -> i + 1).limit(11)
                .map(i -> "{'name':'c" + i + "','image':'nginx','memory':16}").toList());
        return Stream.of(
                // family
                arguments("empty family", "{'family':'','containerDefinitions':[" + app("") + "]}",
                        CLIENT, "Family should not be null or empty."),
                arguments("family with a space", "{'family':'my web','containerDefinitions':[" + app("") + "]}",
                        CLIENT, "Family contains invalid characters."),
                arguments("family with a colon", "{'family':'web:1','containerDefinitions':[" + app("") + "]}",
                        CLIENT, "Family contains invalid characters."),
                arguments("family of 256 characters", "{'family':'" + "f".repeat(256)
                        + "','containerDefinitions':[" + app("") + "]}",
                        CLIENT, "Family name must be 255 characters or fewer."),
                // task size
                arguments("unreadable task cpu", def("'cpu':'lots'", app("")),
                        INVALID, "Invalid 'cpu' setting for task."),
                arguments("empty task cpu", def("'cpu':''", app("")), INVALID, "Invalid 'cpu' setting for task."),
                arguments("fractional cpu units", def("'cpu':'100.5'", app("")),
                        INVALID, "Invalid 'cpu' setting for task."),
                arguments("unreadable task memory", def("'memory':'2 TB'", app("")),
                        INVALID, "Invalid 'memory' setting for task."),
                arguments("task cpu below 128", def("'cpu':'64'", app("")),
                        CLIENT, "Invalid 'cpu' setting for task."),
                arguments("task cpu above 192 vCPU", def("'cpu':'193 vCPU'", app("")),
                        CLIENT, "Invalid 'cpu' setting for task."),
                // containers
                arguments("no containers", def(""), CLIENT, "Container list cannot be empty."),
                arguments("eleven containers", def(eleven), CLIENT, "Too many containers."),
                arguments("container without a name", def("{'image':'nginx','memory':128}"),
                        CLIENT, "Container.name should not be null or empty."),
                arguments("container name with a space", def("{'name':'my app','image':'nginx','memory':128}"),
                        CLIENT, "Container.name contains invalid characters."),
                arguments("container name of 256 characters", def("{'name':'" + "n".repeat(256)
                        + "','image':'nginx','memory':128}"), CLIENT, "Container.name contains invalid characters."),
                arguments("two containers with one name", def(app("") + "," + app("")),
                        CLIENT, "Container names must be unique within a Task Definition."),
                arguments("container without an image", def("{'name':'app','memory':128}"),
                        CLIENT, "Container.image should not be null or empty."),
                arguments("unexpanded variable as image", def("{'name':'app','image':'$IMAGE_NAME','memory':128}"),
                        CLIENT, "Container.image contains invalid characters."),
                arguments("image with a short digest", def("{'name':'app','image':'nginx@sha256:abc','memory':128}"),
                        CLIENT, "Container.image contains invalid characters."),
                arguments("negative container cpu", def(app("'cpu':-1")),
                        CLIENT, "Invalid 'cpu' setting for container 'app'."),
                // memory
                arguments("container memory 0", def("{'name':'app','image':'nginx','memory':0}"),
                        CLIENT, "Invalid 'memory' setting for container 'app'."),
                arguments("container memory 5 MiB", def("{'name':'app','image':'nginx','memory':5}"),
                        CLIENT, "Invalid 'memory' setting for container 'app'."),
                arguments("memory reservation 4 MiB", def("{'name':'app','image':'nginx','memoryReservation':4}"),
                        CLIENT, "Invalid 'memoryReservation' setting for container 'app'."),
                arguments("no memory anywhere", def("{'name':'app','image':'nginx'}"), CLIENT,
                        "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation'"
                                + " must be specified."),
                arguments("reservation above the limit", def(app("'memoryReservation':256")), CLIENT,
                        "Invalid setting for container 'app'. 'memoryReservation' must be less than or equal to"
                                + " 'memory'."),
                arguments("container memory above the task's", def("'memory':'64'", app("")),
                        CLIENT, "The 'memory' setting for container 'app' is greater than for the task."),
                arguments("reservations above the task memory", def("'memory':'512'",
                        "{'name':'a','image':'nginx','memoryReservation':300},"
                                + "{'name':'b','image':'nginx','memoryReservation':300}"), CLIENT,
                        "The sum of all container 'memoryReservation' values cannot be greater than the value of"
                                + " the task 'memory'."),
                arguments("container cpu above the task's", def("'cpu':'256'", app("'cpu':512")), CLIENT,
                        "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."),
                // essential and dependencies
                arguments("no essential container", def(app("'essential':false")),
                        CLIENT, "Task definition doesn't have any essential container."),
                arguments("dependency on a missing container",
                        def(app("'dependsOn':[{'containerName':'db','condition':'START'}]")),
                        CLIENT, "Cannot depend on container + 'db' because it does not exist"),
                arguments("dependency on itself", def(app("'dependsOn':[{'containerName':'app','condition':'START'}]")),
                        CLIENT, "Container 'app' cannot depend on itself."),
                arguments("SUCCESS on an essential container",
                        def(app("'dependsOn':[{'containerName':'init','condition':'SUCCESS'}]")
                                + ",{'name':'init','image':'busybox','memory':16}"), CLIENT,
                        "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"),
                arguments("COMPLETE on an essential container",
                        def(app("'dependsOn':[{'containerName':'init','condition':'COMPLETE'}]")
                                + ",{'name':'init','image':'busybox','memory':16,'essential':true}"), CLIENT,
                        "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"),
                arguments("unknown condition",
                        def(app("'dependsOn':[{'containerName':'init','condition':'READY'}]")
                                + ",{'name':'init','image':'busybox','memory':16}"), CLIENT,
                        "Invalid dependency condition 'READY' for container 'app'. Valid conditions are START,"
                                + " COMPLETE, SUCCESS and HEALTHY."),
                arguments("dependency cycle",
                        def(app("'dependsOn':[{'containerName':'b','condition':'START'}]")
                                + ",{'name':'b','image':'busybox','memory':16,"
                                + "'dependsOn':[{'containerName':'app','condition':'START'}]}"),
                        CLIENT, "The container dependencies contain a cycle: app -> b -> app."),
                // health check
                arguments("health check without CMD", def(app("'healthCheck':{'command':['curl','localhost']}")),
                        CLIENT, "The health check command of container 'app' must start with CMD or CMD-SHELL"
                                + " followed by the command to run."),
                arguments("health check with CMD alone", def(app("'healthCheck':{'command':['CMD']}")),
                        CLIENT, "The health check command of container 'app' must start with CMD or CMD-SHELL"
                                + " followed by the command to run."),
                healthCheck("interval", 4, 5, 300), healthCheck("interval", 301, 5, 300),
                healthCheck("timeout", 1, 2, 60), healthCheck("timeout", 61, 2, 60),
                healthCheck("retries", 0, 1, 10), healthCheck("retries", 11, 1, 10),
                healthCheck("startPeriod", -1, 0, 300), healthCheck("startPeriod", 301, 0, 300),
                // ports
                arguments("awsvpc host port differs", def("'networkMode':'awsvpc'",
                        app("'portMappings':[{'containerPort':80,'hostPort':8080}]")), CLIENT,
                        "When networkMode=awsvpc, the host ports and container ports in port mappings must match."),
                arguments("host mode host port differs", def("'networkMode':'host'",
                        app("'portMappings':[{'containerPort':80,'hostPort':8080}]")), CLIENT,
                        "When networkMode=host, the host ports and container ports in port mappings must match."),
                arguments("port mapping with networkMode none", def("'networkMode':'none'",
                        app("'portMappings':[{'containerPort':80}]")), CLIENT,
                        "Port mappings are not supported for container 'app' when networkMode=none."),
                arguments("port mapping without container port", def(app("'portMappings':[{'hostPort':80}]")),
                        CLIENT, "Invalid 'containerPort' setting for container 'app'."),
                arguments("container port 0", def(app("'portMappings':[{'containerPort':0}]")),
                        CLIENT, "Invalid 'containerPort' setting for container 'app'."),
                arguments("container port 65536", def(app("'portMappings':[{'containerPort':65536}]")),
                        CLIENT, "Invalid 'containerPort' setting for container 'app'."),
                arguments("host port 65536", def(app("'portMappings':[{'containerPort':80,'hostPort':65536}]")),
                        CLIENT, "Invalid 'hostPort' setting for container 'app'."),
                arguments("reversed port range", def(app("'portMappings':[{'containerPortRange':'9000-8000'}]")),
                        CLIENT, "Invalid 'containerPortRange' setting for container 'app'."),
                arguments("port range in host mode", def("'networkMode':'host'",
                        app("'portMappings':[{'containerPortRange':'8000-9000'}]")),
                        CLIENT, "Invalid 'containerPortRange' setting for container 'app'."),
                // volumes
                arguments("two volumes with one name", def("'volumes':[{'name':'data'},{'name':'data'}]", app("")),
                        CLIENT, "Volume names must be unique within a Task Definition."),
                arguments("volume without a name", def("'volumes':[{'host':{'sourcePath':'/srv'}}]", app("")),
                        CLIENT, "Volume.name should not be null or empty."),
                arguments("volume name with a slash", def("'volumes':[{'name':'a/b'}]", app("")),
                        CLIENT, "Volume.name contains invalid characters."),
                arguments("mount of an unknown volume",
                        def(app("'mountPoints':[{'sourceVolume':'data','containerPath':'/data'}]")),
                        CLIENT, "Unknown volume 'data'."),
                arguments("mount without a source volume", def(app("'mountPoints':[{'containerPath':'/data'}]")),
                        CLIENT, "Unknown volume 'null'."),
                arguments("volumes from an unknown container", def(app("'volumesFrom':[{'sourceContainer':'db'}]")),
                        CLIENT, "Unknown container 'db'."),
                arguments("volumes from itself", def(app("'volumesFrom':[{'sourceContainer':'app'}]")),
                        CLIENT, "Container 'app' cannot mount volumes from itself."),
                // ulimits
                arguments("ulimit soft above hard",
                        def(app("'ulimits':[{'name':'nofile','softLimit':2048,'hardLimit':1024}]")), CLIENT,
                        "Invalid ulimit 'nofile' for container 'app': the softLimit must not be greater than the"
                                + " hardLimit."),
                arguments("ulimit twice", def(app("'ulimits':[{'name':'nofile','softLimit':1,'hardLimit':1},"
                        + "{'name':'nofile','softLimit':2,'hardLimit':2}]")),
                        CLIENT, "Duplicate ulimit 'nofile' for container 'app'."),
                arguments("unknown ulimit", def(app("'ulimits':[{'name':'files','softLimit':1,'hardLimit':1}]")),
                        CLIENT, "Invalid ulimit name 'files' for container 'app'."),
                // other task members
                arguments("ephemeral storage of 20 GiB", def("'ephemeralStorage':{'sizeInGiB':20}", app("")),
                        CLIENT, "The ephemeral storage size must be between 21 and 200 GiB."),
                arguments("eleven placement constraints", def("'placementConstraints':["
                        + String.join(",", Collections.nCopies(11,
                        "{'type':'memberOf','expression':'attribute:ecs.os-type == linux'}")) + "]", app("")),
                        CLIENT, "Too many placement constraints. A task definition can have at most 10."),
                arguments("memberOf without expression", def("'placementConstraints':[{'type':'memberOf'}]", app("")),
                        CLIENT, "A memberOf placement constraint must have an expression."),
                arguments("proxy for an unknown container",
                        def("'proxyConfiguration':{'type':'APPMESH','containerName':'envoy'}", app("")),
                        CLIENT, "The proxy configuration container 'envoy' is not defined in the task definition."),
                arguments("EXTERNAL with awsvpc",
                        def("'requiresCompatibilities':['EXTERNAL'],'networkMode':'awsvpc'", app("")),
                        CLIENT, "Tasks using the EXTERNAL launch type do not support network mode 'awsvpc'."),
                // Fargate
                arguments("Fargate in bridge mode", def("'requiresCompatibilities':['FARGATE'],'cpu':'256',"
                        + "'memory':'512'", app("")), CLIENT, "Fargate only supports network mode \u2018awsvpc\u2019."),
                arguments("Fargate without task cpu", fargate("'memory':'512'", app("")),
                        CLIENT, "Fargate requires that 'cpu' be defined at the task level."),
                arguments("Fargate without task memory", fargate("'cpu':'256'", app("")),
                        CLIENT, "Fargate requires that 'memory' be defined at the task level."),
                arguments("Fargate with 512 CPU and 256 memory", fargate("'cpu':'512','memory':'256'",
                        "{'name':'app','image':'nginx'}"), CLIENT,
                        "No Fargate configuration exists for given values: 512 CPU, 256 memory. See the Amazon ECS"
                                + " documentation for the valid combinations of supported values."),
                arguments("Fargate with 1 vCPU and 1 GB", fargate("'cpu':'1 vCPU','memory':'1 GB'", app("")), CLIENT,
                        "No Fargate configuration exists for given values: 1024 CPU, 1024 memory. See the Amazon ECS"
                                + " documentation for the valid combinations of supported values."),
                arguments("Fargate with 8 vCPU and 18 GB", fargate("'cpu':'8192','memory':'18432'", app("")), CLIENT,
                        "No Fargate configuration exists for given values: 8192 CPU, 18432 memory. See the Amazon"
                                + " ECS documentation for the valid combinations of supported values."),
                arguments("Fargate with ipcMode", fargate("'cpu':'256','memory':'512','ipcMode':'task'", app("")),
                        CLIENT, "Tasks using the Fargate launch type do not support ipcMode."),
                arguments("Fargate with a privileged container", fargate("'cpu':'256','memory':'512'",
                        app("'privileged':true")),
                        CLIENT, "Tasks using the Fargate launch type do not support privileged containers."),
                arguments("Fargate with placement constraints", fargate("'cpu':'256','memory':'512',"
                        + "'placementConstraints':[{'type':'memberOf','expression':'attribute:x == y'}]", app("")),
                        CLIENT, "Tasks using the Fargate launch type do not support placementConstraints."),
                arguments("Fargate with a host volume", fargate("'cpu':'256','memory':'512',"
                        + "'volumes':[{'name':'d','host':{'sourcePath':'/srv'}}]", app("")),
                        CLIENT, "Tasks using the Fargate launch type do not support host volumes with a sourcePath."),
                arguments("Fargate with awslogs but no execution role", fargate("'cpu':'256','memory':'512'",
                        app("'logConfiguration':{'logDriver':'awslogs','options':{'awslogs-group':'g'}}")), CLIENT,
                        "Fargate requires task definition to have execution role ARN to support log driver awslogs."),
                arguments("Fargate with the syslog driver", fargate("'cpu':'256','memory':'512'",
                        app("'logConfiguration':{'logDriver':'syslog'}")), CLIENT,
                        "syslog is not a valid log driver. Must be one of [awslogs,splunk,awsfirelens]"),
                arguments("Fargate with an ECR image but no execution role", fargate("'cpu':'256','memory':'512'",
                        "{'name':'app','image':'123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1'}"), CLIENT,
                        "Fargate requires task definition to have execution role ARN to support ECR images."),
                arguments("Fargate with a 121 s stop timeout", fargate("'cpu':'256','memory':'512'",
                        app("'stopTimeout':121")), CLIENT,
                        "Tasks using the Fargate launch type must have a container stop timeout of at most 120"
                                + " seconds."));
    }

    private static Arguments healthCheck(String field, int value, int min, int max) {
        return arguments("health check " + field + " " + value,
                def(app("'healthCheck':{'command':['CMD-SHELL','true'],'" + field + "':" + value + "}")), CLIENT,
                "Invalid 'healthCheck." + field + "' setting for container 'app'. It must be between " + min
                        + " and " + max + ".");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithAwsError(String name, String definition, ErrorCode code, String message) {
        assertThatThrownBy(() -> TaskDefinitionValidator.validate(json(definition)))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments("minimal EC2 definition", def(app(""))),
                arguments("task memory instead of container memory", def("'memory':'512'",
                        "{'name':'app','image':'nginx'}")),
                arguments("reservation only", def("{'name':'app','image':'nginx','memoryReservation':64}")),
                arguments("reservation equal to the limit", def(app("'memoryReservation':128"))),
                arguments("family of 255 characters", "{'family':'" + "f".repeat(255)
                        + "','containerDefinitions':[" + app("") + "]}"),
                arguments("image by digest", def("{'name':'app','image':'registry.example.com:5000/team/app@sha256:"
                        + "a".repeat(64) + "','memory':128}")),
                arguments("bridge with a different host port", def(app("'portMappings':[{'containerPort':80,"
                        + "'hostPort':8080}]"))),
                arguments("bridge with a dynamic host port", def(app("'portMappings':[{'containerPort':80,"
                        + "'hostPort':0}]"))),
                arguments("awsvpc without host port", def("'networkMode':'awsvpc'",
                        app("'portMappings':[{'containerPort':80}]"))),
                arguments("awsvpc with equal host port", def("'networkMode':'awsvpc'",
                        app("'portMappings':[{'containerPort':80,'hostPort':80}]"))),
                arguments("bridge port range", def(app("'portMappings':[{'containerPortRange':'8000-8010'}]"))),
                arguments("health check at the bounds", def(app("'healthCheck':{'command':['CMD','true'],"
                        + "'interval':5,'timeout':60,'retries':10,'startPeriod':0}"))),
                arguments("mounted volume", def("'volumes':[{'name':'data','host':{'sourcePath':'/srv'}}]",
                        app("'mountPoints':[{'sourceVolume':'data','containerPath':'/data'}]"))),
                arguments("HEALTHY dependency and non-essential COMPLETE",
                        def(app("'dependsOn':[{'containerName':'db','condition':'HEALTHY'},"
                                + "{'containerName':'init','condition':'COMPLETE'}]")
                                + ",{'name':'db','image':'postgres','memory':256,"
                                + "'healthCheck':{'command':['CMD-SHELL','pg_isready']}}"
                                + ",{'name':'init','image':'busybox','memory':16,'essential':false}")),
                arguments("Fargate 0.25 vCPU / 0.5 GB", fargate("'cpu':'0.25 vCPU','memory':'0.5 GB'",
                        "{'name':'app','image':'nginx'}")),
                arguments("Fargate with awslogs and an execution role", fargate("'cpu':'256','memory':'512',"
                        + "'executionRoleArn':'arn:aws:iam::123456789012:role/exec'",
                        app("'logConfiguration':{'logDriver':'awslogs','options':{'awslogs-group':'g'}}"))),
                arguments("EC2 and Fargate both required", def("'requiresCompatibilities':['EC2','FARGATE'],"
                        + "'networkMode':'awsvpc','cpu':'1024','memory':'2048'", app(""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String name, String definition) {
        assertThatCode(() -> TaskDefinitionValidator.validate(json(definition))).doesNotThrowAnyException();
    }
}
