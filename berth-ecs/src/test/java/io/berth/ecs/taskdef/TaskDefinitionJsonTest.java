package io.berth.ecs.taskdef;

import static io.berth.ecs.taskdef.Fixtures.contains;
import static io.berth.ecs.taskdef.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What RegisterTaskDefinition returns: the definition as registered plus what ECS adds. */
class TaskDefinitionJsonTest {
    private static final String RICH = "{'family':'shop','taskRoleArn':'arn:aws:iam::123456789012:role/task',"
            + "'executionRoleArn':'arn:aws:iam::123456789012:role/exec','networkMode':'awsvpc',"
            + "'requiresCompatibilities':['FARGATE'],'cpu':'1 vCPU','memory':'2 GB',"
            + "'runtimePlatform':{'cpuArchitecture':'ARM64','operatingSystemFamily':'LINUX'},"
            + "'ephemeralStorage':{'sizeInGiB':30},'pidMode':'task','enableFaultInjection':false,"
            + "'volumes':[{'name':'cache','efsVolumeConfiguration':{'fileSystemId':'fs-1','rootDirectory':'/'}}],"
            + "'containerDefinitions':[{'name':'web','image':'123456789012.dkr.ecr.us-east-1.amazonaws.com/web:7',"
            + "'cpu':512,'memory':1024,'memoryReservation':512,'essential':true,"
            + "'portMappings':[{'containerPort':8080,'hostPort':8080,'protocol':'tcp','name':'http',"
            + "'appProtocol':'http'}],'entryPoint':['sh','-c'],'command':['exec web'],"
            + "'environment':[{'name':'MODE','value':'prod'}],'secrets':[{'name':'DB',"
            + "'valueFrom':'arn:aws:secretsmanager:us-east-1:123456789012:secret:db'}],"
            + "'mountPoints':[{'sourceVolume':'cache','containerPath':'/cache','readOnly':false}],"
            + "'dependsOn':[{'containerName':'log','condition':'START'}],'stopTimeout':30,"
            + "'healthCheck':{'command':['CMD-SHELL','curl -f localhost:8080'],'interval':10,'timeout':3,"
            + "'retries':2,'startPeriod':20},'dockerLabels':{'team':'shop'},"
            + "'ulimits':[{'name':'nofile','softLimit':4096,'hardLimit':8192}],"
            + "'logConfiguration':{'logDriver':'awslogs','options':{'awslogs-group':'/shop','awslogs-region':"
            + "'us-east-1','awslogs-stream-prefix':'web'}},'readonlyRootFilesystem':true,'user':'1000'},"
            + "{'name':'log','image':'fluent/fluent-bit:3','memoryReservation':64,'essential':false,"
            + "'firelensConfiguration':{'type':'fluentbit'}}]}";

    @Test
    void everyRegisteredMemberComesBackUnchanged() {
        ObjectNode registered = json(RICH);
        JsonNode out = new Fixtures.Env().ops.register(Fixtures.ctx(), registered).get("taskDefinition");

        ObjectNode expected = registered.deepCopy();
        expected.remove(List.of("cpu", "memory"));
        assertThat(contains(out, expected)).as("%s contains %s", out, expected).isTrue();
        assertThat(out.get("cpu").asText()).isEqualTo("1024");
        assertThat(out.get("memory").asText()).isEqualTo("2048");
    }

    @Test
    void ecsAddsIdentityStatusAndTimes() {
        JsonNode out = new Fixtures.Env().registerJson(RICH).get("taskDefinition");

        assertThat(out.get("taskDefinitionArn").asText())
                .isEqualTo("arn:aws:ecs:us-east-1:123456789012:task-definition/shop:1");
        assertThat(out.get("revision").asInt()).isEqualTo(1);
        assertThat(out.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(out.get("registeredAt").decimalValue()).isEqualByComparingTo("1718986512.669");
        assertThat(out.get("registeredBy").asText()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(out.has("deregisteredAt")).isFalse();
        assertThat(out.has("deleteRequestedAt")).isFalse();
        assertThat(names(out.get("compatibilities"))).containsExactly("EC2", "FARGATE");
        assertThat(out.get("requiresAttributes")).allSatisfy(a -> assertThat(a.fieldNames()).toIterable()
                .containsExactly("name"));
    }

    @Test
    void minimalContainerGetsEcsDefaults() {
        JsonNode out = new Fixtures.Env().registerJson(
                "{'family':'sleep360','containerDefinitions':[{'name':'sleep','image':'busybox','memory':10,"
                        + "'command':['sleep','360']}]}").get("taskDefinition");

        JsonNode expected = json("{'family':'sleep360','revision':1,'status':'ACTIVE','volumes':[],"
                + "'placementConstraints':[],'compatibilities':['EXTERNAL','EC2'],"
                + "'containerDefinitions':[{'name':'sleep','image':'busybox','memory':10,'command':['sleep','360'],"
                + "'cpu':0,'portMappings':[],'essential':true,'environment':[],'mountPoints':[],'volumesFrom':[],"
                + "'systemControls':[]}]}");
        assertThat(contains(out, expected)).as("%s contains %s", out, expected).isTrue();
        assertThat(out.get("containerDefinitions").get(0).size()).isEqualTo(11);
        assertThat(out.has("networkMode")).as("networkMode is only shown when registered").isFalse();
        assertThat(out.has("requiresCompatibilities")).isFalse();
        assertThat(out.has("requiresAttributes")).as("no feature needs an attribute").isFalse();
        assertThat(out.has("cpu")).isFalse();
        assertThat(out.has("memory")).isFalse();
        assertThat(out.has("tags")).isFalse();
    }

    static Stream<Arguments> portMappings() {
        return Stream.of(
                arguments("bridge", "{'containerPort':80}", "{'containerPort':80,'protocol':'tcp'}"),
                arguments("bridge", "{'containerPort':80,'hostPort':0}", "{'containerPort':80,'hostPort':0,"
                        + "'protocol':'tcp'}"),
                arguments("bridge", "{'containerPort':53,'hostPort':5353,'protocol':'udp'}",
                        "{'containerPort':53,'hostPort':5353,'protocol':'udp'}"),
                arguments("awsvpc", "{'containerPort':80}", "{'containerPort':80,'hostPort':80,'protocol':'tcp'}"),
                arguments("awsvpc", "{'containerPort':80,'hostPort':0}", "{'containerPort':80,'hostPort':80,"
                        + "'protocol':'tcp'}"),
                arguments("host", "{'containerPort':9090}", "{'containerPort':9090,'hostPort':9090,"
                        + "'protocol':'tcp'}"),
                arguments("awsvpc", "{'containerPortRange':'7000-7010'}", "{'containerPortRange':'7000-7010',"
                        + "'protocol':'tcp'}"));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("portMappings")
    void portMappingsGetProtocolAndHostPort(String mode, String registered, String shown) {
        JsonNode out = new Fixtures.Env().registerJson("{'family':'p','networkMode':'" + mode + "','containerDefinitions':"
                + "[{'name':'app','image':'nginx','memory':64,'portMappings':[" + registered + "]}]}")
                .get("taskDefinition");

        assertThat(out.get("containerDefinitions").get(0).get("portMappings").get(0)).isEqualTo(json(shown));
    }

    @Test
    void healthCheckGetsDocumentedDefaults() {
        JsonNode out = new Fixtures.Env().registerJson("{'family':'h','containerDefinitions':[{'name':'app',"
                + "'image':'nginx','memory':64,'healthCheck':{'command':['CMD','true']}}]}").get("taskDefinition");

        assertThat(out.get("containerDefinitions").get(0).get("healthCheck"))
                .isEqualTo(json("{'command':['CMD','true'],'interval':30,'timeout':5,'retries':3}"));
    }

    static Stream<Arguments> compatibilities() {
        return Stream.of(
                arguments("no network mode", "", List.of("EXTERNAL", "EC2")),
                arguments("bridge", "'networkMode':'bridge',", List.of("EXTERNAL", "EC2")),
                arguments("host", "'networkMode':'host',", List.of("EXTERNAL", "EC2")),
                arguments("none", "'networkMode':'none',", List.of("EXTERNAL", "EC2")),
                arguments("awsvpc without task size", "'networkMode':'awsvpc',", List.of("EC2")),
                arguments("awsvpc with a Fargate size", "'networkMode':'awsvpc','cpu':'256','memory':'512',",
                        List.of("EC2", "FARGATE")),
                arguments("awsvpc with a size Fargate lacks", "'networkMode':'awsvpc','cpu':'256','memory':'4096',",
                        List.of("EC2")),
                arguments("awsvpc, Fargate size, placement constraints", "'networkMode':'awsvpc','cpu':'256','memory':'512',"
                        + "'placementConstraints':[{'type':'memberOf','expression':'attribute:a == b'}],",
                        List.of("EC2")));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("compatibilities")
    void compatibilitiesListLaunchTypesTheDefinitionFits(String name, String task, List<String> expected) {
        JsonNode out = new Fixtures.Env().registerJson("{'family':'c'," + task + "'containerDefinitions':[{'name':'app',"
                + "'image':'nginx','memory':64}]}").get("taskDefinition");

        assertThat(names(out.get("compatibilities"))).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> requiredAttributes() {
        String c = "'name':'app','image':'nginx','memory':64";
        return Stream.of(
                arguments("awsvpc", "'networkMode':'awsvpc'", c, List.of(
                        "com.amazonaws.ecs.capability.docker-remote-api.1.18", "ecs.capability.task-eni")),
                arguments("task role", "'taskRoleArn':'arn:aws:iam::123456789012:role/t'", c,
                        List.of("com.amazonaws.ecs.capability.task-iam-role")),
                arguments("awslogs with execution role", "'executionRoleArn':'arn:aws:iam::123456789012:role/e'",
                        c + ",'logConfiguration':{'logDriver':'awslogs'}", List.of(
                                "com.amazonaws.ecs.capability.logging-driver.awslogs",
                                "com.amazonaws.ecs.capability.docker-remote-api.1.19",
                                "ecs.capability.execution-role-awslogs")),
                arguments("ECR image with execution role", "'executionRoleArn':'arn:aws:iam::123456789012:role/e'",
                        "'name':'app','memory':64,'image':'123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1'",
                        List.of("com.amazonaws.ecs.capability.ecr-auth", "ecs.capability.execution-role-ecr-pull")),
                arguments("health check with start period", "'memory':'128'",
                        c + ",'healthCheck':{'command':['CMD','true'],'startPeriod':10}", List.of(
                                "ecs.capability.container-health-check",
                                "com.amazonaws.ecs.capability.docker-remote-api.1.24",
                                "com.amazonaws.ecs.capability.docker-remote-api.1.29")),
                arguments("memory reservation and labels", "'memory':'128'",
                        "'name':'app','image':'nginx','memoryReservation':64,'dockerLabels':{'a':'b'}", List.of(
                                "com.amazonaws.ecs.capability.docker-remote-api.1.21",
                                "com.amazonaws.ecs.capability.docker-remote-api.1.18")),
                arguments("SSM secret and stop timeout", "'memory':'128'",
                        c + ",'stopTimeout':10,'secrets':[{'name':'A','valueFrom':'/prod/a'}]", List.of(
                                "ecs.capability.container-ordering",
                                "ecs.capability.secrets.ssm.environment-variables")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredAttributes")
    void requiresAttributesNameTheCapabilitiesUsed(String name, String task, String container, List<String> expected) {
        JsonNode out = new Fixtures.Env().registerJson("{'family':'r'," + task + ",'containerDefinitions':[{"
                + container + "}]}").get("taskDefinition");

        List<String> attributes = new ArrayList<>();
        out.get("requiresAttributes").forEach(a -> attributes.add(a.get("name").asText()));
        assertThat(attributes).containsExactlyElementsOf(expected);
    }

    @Test
    void registerEchoesTheTags() {
        JsonNode out = new Fixtures.Env().registerJson("{'family':'t','containerDefinitions':[{'name':'app','image':"
                + "'nginx','memory':64}],'tags':[{'key':'team','value':'shop'},{'key':'env'}]}");

        assertThat(out.get("tags")).isEqualTo(Fixtures.tree("[{'key':'team','value':'shop'},{'key':'env','value':''}]"));
        assertThat(out.get("taskDefinition").has("tags")).isFalse();
    }

    private static List<String> names(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }
}
