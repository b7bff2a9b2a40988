package io.berth.bench.service;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Issue 5's figure: how long a rolling deployment of a service takes, from UpdateService to the
 * service being stable again (one deployment, COMPLETED, every task of the new revision running).
 * Against a running server whose cluster has instances (hollow or real: see run-service-bench.sh).
 *
 * <p>System properties: {@code endpoint}, {@code cluster} (default "default"), {@code desired}
 * (default 1000), {@code image} (default "hollow"), {@code healthCommand} (default {@code CMD true};
 * a container health check makes tasks count as healthy as soon as it passes, not 40 s after they
 * start), {@code port} (a container port to publish on an ephemeral host port, or 0), {@code memory},
 * {@code init} (initProcessEnabled, so that the old tasks stop on SIGTERM).
 */
public final class ServiceRollBench {
    public static void main(String[] args) throws Exception {
        String endpoint = System.getProperty("endpoint");
        String cluster = System.getProperty("cluster", "default");
        int desired = Integer.getInteger("desired", 1000);
        String image = System.getProperty("image", "hollow");
        List<String> health = List.of(System.getProperty("healthCommand", "CMD true").split(" ", 2)[0],
                System.getProperty("healthCommand", "CMD true").split(" ", 2)[1]);
        int port = Integer.getInteger("port", 0);
        int memory = Integer.getInteger("memory", 32);
        EcsClient ecs = EcsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("BERTH_ACCESS_KEY_ID"), System.getenv("BERTH_SECRET_ACCESS_KEY"))))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
        String first = register(ecs, image, health, port, memory, "v1");
        String service = "roll-" + Long.toString(System.nanoTime(), 36);
        long t0 = System.nanoTime();
        ecs.createService(r -> r.cluster(cluster).serviceName(service).taskDefinition(first).desiredCount(desired)
                .deploymentConfiguration(d -> d.minimumHealthyPercent(100).maximumPercent(200)));
        awaitStable(ecs, cluster, service, desired, first, Duration.ofMinutes(10));
        double up = (System.nanoTime() - t0) / 1e9;
        System.out.printf("service %s: %d tasks running and stable after %.1f s%n", service, desired, up);

        String second = register(ecs, image, health, port, memory, "v2");
        long t1 = System.nanoTime();
        ecs.updateService(r -> r.cluster(cluster).service(service).taskDefinition(second));
        awaitStable(ecs, cluster, service, desired, second, Duration.ofMinutes(10));
        double roll = (System.nanoTime() - t1) / 1e9;
        System.out.printf("rolled %d tasks to the new revision (100/200) in %.1f s%n", desired, roll);

        ecs.updateService(r -> r.cluster(cluster).service(service).desiredCount(0));
        ecs.deleteService(r -> r.cluster(cluster).service(service).force(true));
        ecs.close();
    }

    private static String register(EcsClient ecs, String image, List<String> health, int port, int memory,
                                   String version) {
        ContainerDefinition.Builder c = ContainerDefinition.builder().name("app").image(image).cpu(8).memory(memory)
                .environment(e -> e.name("VERSION").value(version))
                .healthCheck(h -> h.command(health).interval(5).timeout(2).retries(2).startPeriod(0));
        if (port > 0) {
            c.portMappings(p -> p.containerPort(port).hostPort(0));
        }
        if (Boolean.getBoolean("init")) {
            // an init process forwards SIGTERM: without it a PID 1 that ignores it waits out stopTimeout
            c.linuxParameters(l -> l.initProcessEnabled(true));
        }
        return ecs.registerTaskDefinition(r -> r.family("roll").containerDefinitions(c.build()))
                .taskDefinition().taskDefinitionArn();
    }

    private static void awaitStable(EcsClient ecs, String cluster, String service, int desired, String td,
                                    Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Service s = ecs.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
            List<Deployment> ds = s.deployments();
            if (ds.size() == 1 && td.equals(ds.get(0).taskDefinition()) && s.runningCount() == desired
                    && "COMPLETED".equals(ds.get(0).rolloutStateAsString())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("service " + service + " was not stable within " + within);
    }
}
