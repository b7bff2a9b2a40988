package io.berth.agent.hollow;

import io.berth.agent.channel.ServerChannel;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * {@code berth agent --simulate N}: N hollow container instances for scale tests and benchmarks,
 * never a default. Each instance has its own channel (its own token); all share one scheduler.
 */
public final class HollowFleet implements AutoCloseable {
    private final List<HollowInstance> instances;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService pollers;

    private HollowFleet(List<HollowInstance> instances, ScheduledExecutorService scheduler, ExecutorService pollers) {
        this.instances = instances;
        this.scheduler = scheduler;
        this.pollers = pollers;
    }

    public static HollowFleet start(HollowSettings settings, IntFunction<ServerChannel> channels, InstantSource clock,
                                    RandomGenerator random) {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform()
                .name("hollow-", 0).daemon(true).factory());
        ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor();
        List<HollowInstance> instances = new ArrayList<>();
        for (int i = 0; i < settings.instances(); i++) {
            String zone = settings.zones().isEmpty() ? "us-east-1a" : settings.zones().get(i % settings.zones().size());
            HollowInstance instance = new HollowInstance(settings, channels.apply(i), scheduler, pollers, clock,
                    random, zone);
            instance.register();
            instances.add(instance);
            pollers.submit(instance::follow);
        }
        return new HollowFleet(instances, scheduler, pollers);
    }

    public int size() {
        return instances.size();
    }

    @Override
    public void close() {
        instances.forEach(HollowInstance::stop);
        scheduler.shutdownNow();
        pollers.shutdownNow();
    }
}
