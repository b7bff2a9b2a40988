package io.berth.ecs.taskdef;

import static io.berth.ecs.taskdef.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The stored aggregate: typed accessors, store form, immutability. */
class TaskDefinitionTest {

    private static TaskDefinition of(String spec) {
        return new TaskDefinition("web", 3, TaskDefinitionStatus.ACTIVE, Fixtures.T0, Optional.empty(),
                Optional.empty(), "arn:aws:iam::123456789012:root", json(spec));
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                arguments("{'containerDefinitions':[]}", OptionalInt.empty(), OptionalInt.empty()),
                arguments("{'cpu':'1 vCPU','memory':'2 GB','containerDefinitions':[]}", OptionalInt.of(1024),
                        OptionalInt.of(2048)),
                arguments("{'cpu':'512','memory':'1024','containerDefinitions':[]}", OptionalInt.of(512),
                        OptionalInt.of(1024)),
                arguments("{'cpu':'0.25 vcpu','memory':'0.5GB','containerDefinitions':[]}", OptionalInt.of(256),
                        OptionalInt.of(512)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizes")
    void taskSizeIsReadFromItsStringForms(String spec, OptionalInt cpu, OptionalInt memory) {
        TaskDefinition td = of(spec);

        assertThat(td.taskCpu()).isEqualTo(cpu);
        assertThat(td.taskMemory()).isEqualTo(memory);
    }

    @ParameterizedTest(name = "networkMode {0} -> {1}")
    @CsvSource({"'',BRIDGE", "bridge,BRIDGE", "host,HOST", "awsvpc,AWSVPC", "none,NONE"})
    void networkModeDefaultsToBridge(String registered, NetworkMode expected) {
        String member = registered.isEmpty() ? "" : "'networkMode':'" + registered + "',";

        assertThat(of("{" + member + "'containerDefinitions':[]}").networkMode()).isEqualTo(expected);
    }

    @Test
    void compatibilitiesAndContainersAreTyped() {
        TaskDefinition td = of("{'networkMode':'awsvpc','requiresCompatibilities':['FARGATE'],'cpu':'256',"
                + "'memory':'512','containerDefinitions':[{'name':'web','image':'nginx','memoryReservation':128,"
                + "'portMappings':[{'containerPort':80},{'containerPort':53,'protocol':'udp'}]},"
                + "{'name':'side','image':'busybox','cpu':10,'memory':32,'essential':false}]}");

        assertThat(td.requiresCompatibilities()).containsExactly(Compatibility.FARGATE);
        assertThat(td.compatibilities()).containsExactly(Compatibility.EC2, Compatibility.FARGATE);
        assertThat(td.containerNames()).containsExactly("web", "side");
        assertThat(td.containers()).containsExactly(
                new ContainerSpec("web", "nginx", 0, OptionalInt.empty(), OptionalInt.of(128), true, List.of(
                        new ContainerSpec.PortMapping(OptionalInt.of(80), 80, "tcp", null),
                        new ContainerSpec.PortMapping(OptionalInt.of(53), 53, "udp", null))),
                new ContainerSpec("side", "busybox", 10, OptionalInt.of(32), OptionalInt.empty(), false, List.of()));
        assertThat(td.containers().get(0).reservedMemory()).hasValue(128);
        assertThat(td.containers().get(1).reservedMemory()).hasValue(32);
    }

    @Test
    void bridgePortsWithoutHostPortAreDynamic() {
        TaskDefinition td = of("{'containerDefinitions':[{'name':'web','image':'nginx','memory':64,"
                + "'portMappings':[{'containerPort':80},{'containerPort':443,'hostPort':8443}]}]}");

        assertThat(td.containers().get(0).portMappings()).extracting(ContainerSpec.PortMapping::hostPort)
                .containsExactly(0, 8443);
    }

    @Test
    void keysSortByRevisionWithinAFamily() {
        assertThat(TaskDefinition.key("web", 3)).isEqualTo("web:0000000003");
        assertThat(TaskDefinition.key("web", 10)).isGreaterThan(TaskDefinition.key("web", 9));
        assertThat(of("{'containerDefinitions':[]}").familyRevision()).isEqualTo("web:3");
        assertThat(of("{'containerDefinitions':[]}").arn(Fixtures.ACCOUNT))
                .isEqualTo("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3");
    }

    @Test
    void storedFormRoundTrips() {
        TaskDefinition td = of("{'family':'web','containerDefinitions':[{'name':'a','image':'b','memory':8}]}")
                .withDeregistered(Instant.parse("2024-07-01T00:00:00.123Z"))
                .withDeleteRequested(Instant.parse("2024-07-02T00:00:00Z"));

        assertThat(TaskDefinition.decode(td.encode())).isEqualTo(td);
        assertThat(td.status()).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        TaskDefinitionFamily family = new TaskDefinitionFamily("web", 7, 2, 1, 3);
        assertThat(TaskDefinitionFamily.decode(family.encode())).isEqualTo(family);
    }

    @Test
    void theSpecCannotBeChangedFromOutside() {
        ObjectNode spec = json("{'family':'web','containerDefinitions':[],'tags':[{'key':'a','value':'b'}]}");
        TaskDefinition td = new TaskDefinition("web", 3, TaskDefinitionStatus.ACTIVE, Fixtures.T0, Optional.empty(),
                Optional.empty(), "arn:aws:iam::123456789012:root", spec);

        spec.put("cpu", "256");
        td.spec().put("memory", "512");

        assertThat(td.spec().has("cpu")).isFalse();
        assertThat(td.spec().has("memory")).isFalse();
        assertThat(td.spec().has("tags")).as("tags are kept by Tags, not in the spec").isFalse();
    }
}
