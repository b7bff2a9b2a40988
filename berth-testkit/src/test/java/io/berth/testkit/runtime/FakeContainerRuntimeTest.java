package io.berth.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.runtime.ContainerEvent;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerState.PortBinding;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeContainerRuntimeTest {
    private static final Duration T = Duration.ofSeconds(5);
    private final FakeContainerRuntime runtime = new FakeContainerRuntime();

    @AfterEach
    void close() {
        runtime.close();
    }

    private static ContainerSpec spec(String name, List<String> command, List<PortBinding> ports) {
        return new ContainerSpec(name, "busybox", command, null, Map.of(), null, null, Map.of("app", name), "bridge",
                ports, 2, null, null, List.of(), false, false, false, List.of(), List.of(), null, null, List.of());
    }

    @Test
    void pullsPublishedImagesAndRefusesOthersAsTheEngineWould() {
        runtime.publishImage("busybox:1.36");
        runtime.failPull("broken:1", "manifest unknown");

        assertThat(runtime.pull("busybox:1.36", null, T).repoDigests()).singleElement()
                .satisfies(d -> assertThat(d).startsWith("busybox@sha256:"));
        assertThat(runtime.image("busybox:1.36", T)).isPresent();
        assertThatThrownBy(() -> runtime.pull("broken:1", null, T))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("manifest unknown")
                .extracting(e -> ((RuntimeFailure) e).kind()).isEqualTo(Kind.IMAGE_PULL);
        assertThatThrownBy(() -> runtime.pull("nosuch", null, T)).hasMessageContaining("pull access denied");
    }

    @Test
    void runsContainersWithEphemeralPortsAndEvents() throws Exception {
        runtime.addImage("busybox");
        List<ContainerEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch died = new CountDownLatch(1);
        AutoCloseable stream = runtime.events(Map.of("app", "web"), e -> {
            events.add(e);
            if (e.action().equals("die")) {
                died.countDown();
            }
        }, () -> { });

        String id = runtime.create(spec("web", List.of("httpd"), List.of(new PortBinding(80, "tcp", "127.0.0.1", 0))), T);
        runtime.start(id, T);
        ContainerState running = runtime.inspect(id, T).orElseThrow();
        assertThat(running.running()).isTrue();
        assertThat(running.ports()).containsExactly(new PortBinding(80, "tcp", "127.0.0.1", 32768));

        runtime.exit(id, 3);
        assertThat(died.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runtime.inspect(id, T).orElseThrow().exitCode()).isEqualTo(3);
        assertThat(events).extracting(ContainerEvent::action).containsExactly("start", "die");
        stream.close();
    }

    @Test
    void failsStartsAsConfiguredAndRefusesTakenPortsAndNames() {
        runtime.addImage("busybox");
        runtime.failStartForCommand("nosuch");
        String bad = runtime.create(spec("bad", List.of("nosuch"), List.of()), T);
        assertThatThrownBy(() -> runtime.start(bad, T)).hasMessageContaining("executable file not found")
                .extracting(e -> ((RuntimeFailure) e).kind()).isEqualTo(Kind.START);
        assertThat(runtime.inspect(bad, T).orElseThrow().status()).isEqualTo("created");

        assertThatThrownBy(() -> runtime.create(spec("bad", null, List.of()), T)).hasMessageContaining("Conflict");

        String a = runtime.create(spec("a", null, List.of(new PortBinding(80, "tcp", "", 8080))), T);
        String b = runtime.create(spec("b", null, List.of(new PortBinding(80, "tcp", "", 8080))), T);
        runtime.start(a, T);
        assertThatThrownBy(() -> runtime.start(b, T)).hasMessageContaining("port is already allocated");
    }

    @Test
    void stopsWithSigtermOrWaitsOutTheGraceThenKills() {
        runtime.addImage("busybox");
        runtime.ignoreSigterm(s -> s.name().equals("stubborn"));
        String polite = runtime.create(spec("polite", null, List.of()), T);
        String stubborn = runtime.create(spec("stubborn", null, List.of()), T);
        runtime.start(polite, T);
        runtime.start(stubborn, T);

        runtime.stop(polite, Duration.ofSeconds(30), T);
        long before = System.nanoTime();
        runtime.stop(stubborn, Duration.ofMillis(200), T);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

        assertThat(runtime.inspect(polite, T).orElseThrow().exitCode()).isEqualTo(143);
        assertThat(runtime.inspect(stubborn, T).orElseThrow().exitCode()).isEqualTo(137);
        assertThat(runtime.stops()).extracting(FakeContainerRuntime.Stop::grace)
                .containsExactly(Duration.ofSeconds(30), Duration.ofMillis(200));
    }

    @Test
    void aDownEngineFailsEveryCallAndBreaksEventStreams() throws Exception {
        CountDownLatch broken = new CountDownLatch(1);
        runtime.events(Map.of(), e -> { }, broken::countDown);

        runtime.setMode(FakeContainerRuntime.Mode.DOWN);

        assertThat(broken.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runtime.openEventStreams()).isZero();
        assertThatThrownBy(() -> runtime.list(Map.of(), T)).extracting(e -> ((RuntimeFailure) e).kind())
                .isEqualTo(Kind.UNAVAILABLE);
        runtime.setMode(FakeContainerRuntime.Mode.NORMAL);
        assertThat(runtime.list(Map.of(), T)).isEmpty();
    }

    @Test
    void aSlowEngineTimesOutCallsWithShorterTimeouts() {
        runtime.setMode(FakeContainerRuntime.Mode.SLOW);
        runtime.setSlowness(Duration.ofMillis(100));

        assertThat(runtime.list(Map.of(), Duration.ofSeconds(1))).isEmpty();
        assertThatThrownBy(() -> runtime.list(Map.of(), Duration.ofMillis(10)))
                .extracting(e -> ((RuntimeFailure) e).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void containersLiveOnTheirOwnAsConfigured() throws Exception {
        runtime.addImage("busybox");
        runtime.exitAfterStart(s -> s.name().equals("job"), 0, Duration.ofMillis(50));
        runtime.healthyAfterStart(s -> true, Duration.ofMillis(50));
        ContainerSpec checked = new ContainerSpec("svc", "busybox", null, null, Map.of(), null, null, Map.of(),
                "bridge", List.of(), 2, null, null, List.of(), false, false, false, List.of(), List.of(),
                new ContainerSpec.HealthCheck(List.of("CMD", "true"), Duration.ofSeconds(1), Duration.ofSeconds(1),
                        3, Duration.ZERO), null, List.of());
        String job = runtime.create(spec("job", null, List.of()), T);
        String svc = runtime.create(checked, T);
        runtime.start(job, T);
        runtime.start(svc, T);
        assertThat(runtime.inspect(svc, T).orElseThrow().health()).isEqualTo("starting");

        Thread.sleep(300);
        assertThat(runtime.inspect(job, T).orElseThrow().exitCode()).isZero();
        assertThat(runtime.inspect(svc, T).orElseThrow().health()).isEqualTo("healthy");
    }

    @Test
    void removesContainersAndVolumesButNotVolumesInUse() {
        runtime.addImage("busybox");
        runtime.createVolume("data", null, Map.of(), Map.of("k", "v"), T);
        ContainerSpec mounting = new ContainerSpec("m", "busybox", null, null, Map.of(), null, null, Map.of(),
                "bridge", List.of(), 2, null, null, List.of(), false, false, false, List.of("data:/data"), List.of(),
                null, null, List.of());
        String id = runtime.create(mounting, T);
        assertThatThrownBy(() -> runtime.removeVolume("data", T)).hasMessageContaining("in use");

        runtime.remove(id, T);
        runtime.removeVolume("data", T);
        assertThat(runtime.containers()).isEmpty();
        assertThat(runtime.volumes()).isEmpty();
        runtime.remove(id, T); // missing is fine
    }
}
