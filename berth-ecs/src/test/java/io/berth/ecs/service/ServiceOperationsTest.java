package io.berth.ecs.service;

import static io.berth.ecs.service.ServiceEnv.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.error.BerthException;
import io.berth.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CreateService, UpdateService, DeleteService, DescribeServices and ListServices as a client sees them. */
class ServiceOperationsTest {
    private final ServiceEnv env = new ServiceEnv();
    private final String web1 = env.register("web", "httpd", true);

    @Test
    void createdServiceHasAwsShape() {
        ObjectNode s = env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':2,"
                + "'tags':[{'key':'team','value':'core'}]}");
        assertThat(s.get("serviceArn").asText()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:service/work/api");
        assertThat(s.get("clusterArn").asText()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:cluster/work");
        assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(s.get("desiredCount").asInt()).isEqualTo(2);
        assertThat(s.get("runningCount").asInt()).isZero();
        assertThat(s.get("launchType").asText()).isEqualTo("EC2");
        assertThat(s.get("schedulingStrategy").asText()).isEqualTo("REPLICA");
        assertThat(s.get("taskDefinition").asText()).isEqualTo(web1);
        assertThat(s.at("/deploymentConfiguration/maximumPercent").asInt()).isEqualTo(200);
        assertThat(s.at("/deploymentConfiguration/minimumHealthyPercent").asInt()).isEqualTo(100);
        assertThat(s.at("/deploymentConfiguration/deploymentCircuitBreaker/enable").asBoolean()).isFalse();
        assertThat(s.at("/deploymentController/type").asText()).isEqualTo("ECS");
        assertThat(s.get("deployments")).singleElement().satisfies(d -> {
            assertThat(d.get("id").asText()).matches("ecs-svc/\\d{19}");
            assertThat(d.get("status").asText()).isEqualTo("PRIMARY");
            assertThat(d.get("rolloutState").asText()).isEqualTo("IN_PROGRESS");
            assertThat(d.get("rolloutStateReason").asText())
                    .isEqualTo("ECS deployment " + d.get("id").asText() + " in progress.");
            assertThat(d.get("desiredCount").asInt()).isEqualTo(2);
            assertThat(d.get("taskDefinition").asText()).isEqualTo(web1);
            assertThat(d.has("createdAt") && d.has("updatedAt")).isTrue();
        });
        assertThat(s.get("tags")).hasSize(1);
        assertThat(s.get("createdBy").asText()).isEqualTo("arn:aws:iam::123456789012:root");
    }

    @Test
    void aNameIsTakenUntilTheServiceIsInactiveUnlessTheSameClientTokenAsks() {
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':0,'clientToken':'t1'}");
        assertThat(env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':0,"
                + "'clientToken':'t1'}").get("status").asText()).isEqualTo("ACTIVE");
        assertThatThrownBy(() -> env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web',"
                + "'desiredCount':0}"))
                .isInstanceOf(BerthException.class).hasMessage("Creation of service was not idempotent.");
        env.ops.deleteService(env.ctx(), json("{'cluster':'work','service':'api'}"));
        env.tick();
        assertThat(env.service("api").status()).isEqualTo(Service.Status.INACTIVE);
        assertThat(env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':1}")
                .get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void badRequestsGetAwsErrors() {
        assertThatThrownBy(() -> env.create("{'cluster':'work','serviceName':'x','taskDefinition':'nope',"
                + "'desiredCount':1}")).hasMessage("TaskDefinition not found.");
        assertThatThrownBy(() -> env.create("{'cluster':'nope','serviceName':'x','taskDefinition':'web',"
                + "'desiredCount':1}"))
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.CLUSTER_NOT_FOUND));
        assertThatThrownBy(() -> env.create("{'cluster':'work','serviceName':'bad name','taskDefinition':'web',"
                + "'desiredCount':1}")).isInstanceOf(BerthException.class);
        assertThatThrownBy(() -> env.update("{'cluster':'work','service':'ghost','desiredCount':1}"))
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.SERVICE_NOT_FOUND));
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':1}");
        assertThatThrownBy(() -> env.ops.deleteService(env.ctx(), json("{'cluster':'work','service':'api'}")))
                .hasMessage("The service cannot be stopped while it is scaled above 0.");
        env.ops.deleteService(env.ctx(), json("{'cluster':'work','service':'api','force':true}"));
        assertThatThrownBy(() -> env.update("{'cluster':'work','service':'api','desiredCount':3}"))
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.SERVICE_NOT_ACTIVE));
    }

    @Test
    void describeFindsByNameOrArnAndReportsMissingOnes() {
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':0,"
                + "'tags':[{'key':'k','value':'v'}]}");
        ObjectNode out = env.ops.describeServices(env.ctx(), json("{'cluster':'work','services':['api',"
                + "'arn:aws:ecs:us-east-1:123456789012:service/work/api','ghost'],'include':['TAGS']}"));
        assertThat(out.get("services")).hasSize(2).allSatisfy(s -> assertThat(s.get("tags")).hasSize(1));
        assertThat(out.get("failures")).singleElement().satisfies(f -> {
            assertThat(f.get("arn").asText()).isEqualTo("arn:aws:ecs:us-east-1:123456789012:service/work/ghost");
            assertThat(f.get("reason").asText()).isEqualTo("MISSING");
        });
        assertThat(env.describe("api").has("tags")).isFalse();
    }

    @Test
    void listShowsActiveServicesPageByPageWithFilters() {
        for (int i = 0; i < 12; i++) {
            env.create("{'cluster':'work','serviceName':'s" + (char) ('a' + i) + "','taskDefinition':'web',"
                    + "'desiredCount':0}");
        }
        env.create("{'cluster':'work','serviceName':'daemon','taskDefinition':'web','schedulingStrategy':'DAEMON'}");
        env.ops.deleteService(env.ctx(), json("{'cluster':'work','service':'sa'}"));
        List<String> all = new ArrayList<>();
        String token = null;
        do {
            ObjectNode out = env.ops.listServices(env.ctx(), json("{'cluster':'work','maxResults':5"
                    + (token == null ? "" : ",'nextToken':'" + token + "'") + "}"));
            out.get("serviceArns").forEach(a -> all.add(a.asText()));
            token = out.path("nextToken").asText(null);
        } while (token != null);
        assertThat(all).hasSize(12).doesNotContain("arn:aws:ecs:us-east-1:123456789012:service/work/sa");
        assertThat(env.ops.listServices(env.ctx(), json("{'cluster':'work'}")).get("serviceArns")).hasSize(10);
        assertThat(env.ops.listServices(env.ctx(), json("{'cluster':'work','schedulingStrategy':'DAEMON'}"))
                .get("serviceArns")).singleElement()
                .satisfies(a -> assertThat(a.asText()).endsWith("/daemon"));
        assertThat(env.ops.listServices(env.ctx(), json("{'cluster':'work','launchType':'FARGATE'}"))
                .get("serviceArns")).isEmpty();
    }

    @Test
    void aNewTaskDefinitionOrForceStartsADeploymentButScalingAndSettingsDoNot() {
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':1}");
        assertThat(env.update("{'cluster':'work','service':'api','desiredCount':3,"
                + "'deploymentConfiguration':{'minimumHealthyPercent':50,'maximumPercent':150},"
                + "'healthCheckGracePeriodSeconds':30,'placementConstraints':[{'type':'distinctInstance'}]}")
                .get("deployments")).hasSize(1);
        assertThat(env.update("{'cluster':'work','service':'api','taskDefinition':'web:1'}").get("deployments"))
                .as("the same revision").hasSize(1);
        String web2 = env.register("web", "httpd:2", true);
        ObjectNode updated = env.update("{'cluster':'work','service':'api','taskDefinition':'web'}");
        JsonNode deployments = updated.get("deployments");
        assertThat(deployments).hasSize(2);
        assertThat(deployments.get(0).get("status").asText()).isEqualTo("PRIMARY");
        assertThat(deployments.get(0).get("taskDefinition").asText()).isEqualTo(web2);
        assertThat(deployments.get(1).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(deployments.get(1).get("taskDefinition").asText()).isEqualTo(web1);
        assertThat(updated.get("taskDefinition").asText()).isEqualTo(web2);
        assertThat(updated.at("/deploymentConfiguration/minimumHealthyPercent").asInt()).isEqualTo(50);
        assertThat(updated.get("healthCheckGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(env.update("{'cluster':'work','service':'api','forceNewDeployment':true}").get("deployments"))
                .hasSize(3);
    }

    @Test
    void deleteClusterIsRefusedWhileServicesAreActive() {
        env.create("{'cluster':'work','serviceName':'api','taskDefinition':'web','desiredCount':0}");
        assertThatThrownBy(() -> env.clusters.delete("work"))
                .satisfies(e -> assertThat(((BerthException) e).code()).isEqualTo(ErrorCode.CLUSTER_CONTAINS_SERVICES));
    }
}
