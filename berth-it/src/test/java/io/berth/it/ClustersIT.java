package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListClustersResponse;
import software.amazon.awssdk.services.ecs.model.Tag;

class ClustersIT {
    private static BerthFixture berth;
    private EcsClient ecs;

    @BeforeAll
    static void start() throws Exception {
        berth = new BerthFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        berth.close();
    }

    @BeforeEach
    void clean() throws Exception {
        berth.reset();
        ecs = berth.ecs();
    }

    @Test
    void createDescribeUpdateDelete() {
        Cluster created = ecs.createCluster(r -> r.clusterName("prod")
                .tags(Tag.builder().key("team").value("core").build())
                .settings(s -> s.name(ClusterSettingName.CONTAINER_INSIGHTS).value("enabled"))).cluster();
        assertThat(created.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/prod");
        assertThat(created.status()).isEqualTo("ACTIVE");
        assertThat(created.registeredContainerInstancesCount()).isZero();
        assertThat(created.tags()).containsExactly(Tag.builder().key("team").value("core").build());

        DescribeClustersResponse described = ecs.describeClusters(r -> r.clusters("prod", created.clusterArn(), "nope")
                .include(ClusterField.TAGS, ClusterField.SETTINGS, ClusterField.STATISTICS));
        assertThat(described.clusters()).hasSize(2).allSatisfy(c -> {
            assertThat(c.clusterName()).isEqualTo("prod");
            assertThat(c.tags()).hasSize(1);
            assertThat(c.settings()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo("enabled"));
            assertThat(c.statistics()).isNotEmpty();
        });
        assertThat(described.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("MISSING");
            assertThat(f.arn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/nope");
        });

        Cluster updated = ecs.updateClusterSettings(r -> r.cluster("prod")
                .settings(s -> s.name(ClusterSettingName.CONTAINER_INSIGHTS).value("disabled"))).cluster();
        assertThat(updated.settings()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo("disabled"));
        Cluster configured = ecs.updateCluster(r -> r.cluster("prod")
                .configuration(c -> c.executeCommandConfiguration(e -> e.logging("DEFAULT")))).cluster();
        assertThat(configured.configuration().executeCommandConfiguration().loggingAsString()).isEqualTo("DEFAULT");

        Cluster deleted = ecs.deleteCluster(r -> r.cluster("prod")).cluster();
        assertThat(deleted.status()).isEqualTo("INACTIVE");
        assertThat(ecs.listClusters().clusterArns()).isEmpty();
        assertThat(ecs.describeClusters(r -> r.clusters("prod")).clusters())
                .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("INACTIVE"));
        assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster("prod"))).isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.updateClusterSettings(r -> r.cluster("prod")
                .settings(s -> s.name(ClusterSettingName.CONTAINER_INSIGHTS).value("enabled"))))
                .isInstanceOf(ClusterNotFoundException.class);

        assertThat(ecs.createCluster(r -> r.clusterName("prod")).cluster().status()).isEqualTo("ACTIVE");
    }

    @Test
    void createIsIdempotentAndDefaultsToTheDefaultCluster() {
        Cluster first = ecs.createCluster(r -> r.clusterName("dup")).cluster();
        Cluster second = ecs.createCluster(r -> r.clusterName("dup")).cluster();
        assertThat(second.clusterArn()).isEqualTo(first.clusterArn());
        assertThat(ecs.listClusters().clusterArns()).containsExactly(first.clusterArn());

        assertThat(ecs.describeClusters().failures()).singleElement()
                .satisfies(f -> assertThat(f.arn()).endsWith(":cluster/default"));
        assertThat(ecs.createCluster().cluster().clusterName()).isEqualTo("default");
        assertThat(ecs.describeClusters().clusters()).singleElement()
                .satisfies(c -> assertThat(c.clusterName()).isEqualTo("default"));
    }

    @Test
    void listPaginates() {
        for (int i = 0; i < 25; i++) {
            String name = String.format("c%02d", i);
            ecs.createCluster(r -> r.clusterName(name));
        }
        List<String> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListClustersResponse page = ecs.listClusters(r -> r.maxResults(10).nextToken(t));
            all.addAll(page.clusterArns());
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(all).hasSize(25).doesNotHaveDuplicates().isSorted();
        assertThat(ecs.listClustersPaginator(r -> r.maxResults(7)).clusterArns()).hasSize(25);
        assertThatThrownBy(() -> ecs.listClusters(r -> r.nextToken("garbage!")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.listClusters(r -> r.maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void refusesBadNamesWithInvalidParameter() {
        assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName("has space")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName("x".repeat(256))))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName("ok")
                .settings(s -> s.name(ClusterSettingName.CONTAINER_INSIGHTS).value("maybe"))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void tagsAndUntagsClusters() {
        String arn = ecs.createCluster(r -> r.clusterName("tagged")).cluster().clusterArn();
        ecs.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("a").value("1").build(),
                Tag.builder().key("b").value("2").build()));
        ecs.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("a").value("3").build()));
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .extracting(Tag::key, Tag::value).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("a", "3"), org.assertj.core.groups.Tuple.tuple("b", "2"));
        ecs.untagResource(r -> r.resourceArn(arn).tagKeys("a"));
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("b");
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn.replace("tagged", "ghost"))
                .tags(Tag.builder().key("a").value("1").build()))).isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn("not-an-arn")
                .tags(Tag.builder().key("a").value("1").build()))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn)
                .tags(Tag.builder().key("aws:reserved").value("1").build()))).isInstanceOf(EcsException.class);
    }

    @Test
    void survivesRestart() throws Exception {
        ecs.createCluster(r -> r.clusterName("kept").tags(Tag.builder().key("k").value("v").build()));
        berth.restart();
        ecs = berth.ecs();
        assertThat(ecs.describeClusters(r -> r.clusters("kept").include(ClusterField.TAGS)).clusters())
                .singleElement().satisfies(c -> assertThat(c.tags()).hasSize(1));
    }
}
