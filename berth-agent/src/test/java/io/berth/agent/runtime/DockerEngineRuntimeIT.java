package io.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.core.runtime.ContainerEvent;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerState.PortBinding;
import io.berth.core.runtime.HostInfo;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import io.berth.testkit.images.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link DockerEngineRuntime} against a real Docker Engine ({@code DOCKER_HOST}, else the default
 * socket), with the test images of {@link TestImages}, loaded from a local archive: no registry, no
 * network. Skipped when no engine answers, unless {@code -Dberth.requireDocker=true}.
 *
 * <p>Every container and volume made here carries {@code berth.test=<uuid of this run>} and is
 * removed in {@link #removeWhatThisRunMade()}; the test images stay loaded for the next run.
 */
@Tag("docker")
class DockerEngineRuntimeIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String RUN = UUID.randomUUID().toString();
    private static final Map<String, String> RUN_LABEL = Map.of("berth.test", RUN);
    private static final AtomicInteger names = new AtomicInteger();
    private static final Set<String> volumes = ConcurrentHashMap.newKeySet();

    private static DockerEngineRuntime runtime;

    @BeforeAll
    static void engineAndImages() {
        runtime = new DockerEngineRuntime();
        try {
            runtime.host(Duration.ofSeconds(10));
        } catch (RuntimeFailure e) {
            runtime.close();
            runtime = null;
            String why = "no Docker Engine answers at " + DockerEngineRuntime.hostFromEnvironment() + ": " + e.getMessage();
            if (Boolean.getBoolean("berth.requireDocker")) {
                fail(why + " (and berth.requireDocker=true)");
            }
            assumeTrue(false, why);
        }
        runtime.load(TestImages.openArchive(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void removeWhatThisRunMade() {
        if (runtime == null) {
            return;
        }
        try {
            for (ContainerState c : runtime.list(RUN_LABEL, T)) {
                runtime.remove(c.id(), T);
            }
            for (String volume : volumes) {
                runtime.removeVolume(volume, T);
            }
        } finally {
            runtime.close();
        }
    }

    @Test
    void hostDescribesTheEngine() {
        HostInfo host = runtime.host(T);
        assertThat(host.cpus()).isPositive();
        assertThat(host.memoryBytes()).isPositive();
        assertThat(host.osType()).isEqualTo("linux");
        assertThat(host.engineVersion()).isNotBlank();
        assertThat(host.apiVersion()).matches("\\d+\\.\\d+");
    }

    @Test
    void loadedTestImagesHaveTheIdsTheBuilderComputed() {
        for (String image : TestImages.ALL) {
            assertThat(runtime.image(image, T)).as(image).hasValueSatisfying(
                    info -> assertThat(info.id()).isEqualTo(TestImages.imageId(image)));
        }
        assertThat(runtime.image("berth-test/absent:1", T)).isEmpty();
    }

    @Test
    void createStartInspectStopRemove() {
        String id = create(TestImages.BUSYBOX, s -> { });
        ContainerState created = inspect(id);
        assertThat(created.status()).isEqualTo("created");
        assertThat(created.image()).isEqualTo(TestImages.BUSYBOX);
        assertThat(created.imageId()).isEqualTo(TestImages.imageId(TestImages.BUSYBOX));
        assertThat(created.labels()).containsAllEntriesOf(RUN_LABEL);
        assertThat(created.createdAt()).isNotNull();
        assertThat(created.startedAt()).isNull();
        assertThat(created.finishedAt()).isNull();
        assertThat(created.exitCode()).isNull();

        runtime.start(id, T);
        ContainerState running = inspect(id);
        assertThat(running.running()).isTrue();
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.finishedAt()).isNull();
        assertThat(running.health()).isEqualTo("none");
        runtime.start(id, T); // already running: fine

        runtime.stop(id, Duration.ofSeconds(1), T); // sleep as PID 1 ignores SIGTERM: killed
        ContainerState stopped = inspect(id);
        assertThat(stopped.exited()).isTrue();
        assertThat(stopped.exitCode()).isEqualTo(137);
        assertThat(stopped.finishedAt()).isAfter(stopped.startedAt());
        runtime.stop(id, Duration.ofSeconds(1), T); // stopped already: fine

        runtime.remove(id, T);
        assertThat(runtime.inspect(id, T)).isEmpty();
        runtime.remove(id, T); // gone already: fine
        assertThatThrownBy(() -> runtime.start(id, T)).isInstanceOfSatisfying(RuntimeFailure.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void anEphemeralPortOnLoopbackIsReportedAndAnswersHttp() throws Exception {
        String id = run(TestImages.HTTPD,
                s -> s.ports = List.of(new PortBinding(TestImages.HTTPD_PORT, "tcp", "127.0.0.1", 0)));
        List<PortBinding> ports = inspect(id).ports();
        assertThat(ports).singleElement().satisfies(p -> {
            assertThat(p.containerPort()).isEqualTo(TestImages.HTTPD_PORT);
            assertThat(p.protocol()).isEqualTo("tcp");
            assertThat(p.hostIp()).isEqualTo("127.0.0.1");
            assertThat(p.hostPort()).isPositive();
        });
        URI page = URI.create("http://127.0.0.1:" + ports.getFirst().hostPort() + "/");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> assertThat(
                    http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString()).body().strip())
                    .isEqualTo(TestImages.HTTPD_INDEX_TEXT));
        }
    }

    @Test
    void reportsTheExitCode() {
        String byArgument = run(TestImages.EXIT, s -> s.command = List.of("3"));
        String byEnvironment = run(TestImages.EXIT, s -> s.environment = Map.of("EXIT_CODE", "5"));
        assertThat(awaitExit(byArgument).exitCode()).isEqualTo(3);
        ContainerState exited = awaitExit(byEnvironment);
        assertThat(exited.exitCode()).isEqualTo(5);
        assertThat(exited.oomKilled()).isFalse();
        assertThat(exited.error()).isNull();
    }

    @Test
    void startingAMissingExecutableFailsWithTheEnginesMessage() {
        String id = create(TestImages.BUSYBOX, s -> s.command = List.of("berth-no-such-command"));
        assertThatThrownBy(() -> runtime.start(id, T)).isInstanceOfSatisfying(RuntimeFailure.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.START);
            assertThat(e.getMessage()).contains("berth-no-such-command").contains("executable file not found");
        });
        assertThat(inspect(id).error()).contains("executable file not found");
    }

    @Test
    void pullingFromARegistryThatIsNotThereFailsWithImagePull() {
        assertThatThrownBy(() -> runtime.pull("127.0.0.1:1/nope:1", null, T)).isInstanceOfSatisfying(
                RuntimeFailure.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.IMAGE_PULL);
                    assertThat(e.getMessage()).contains("127.0.0.1:1");
                });
    }

    @Test
    void creatingFromAMissingImageFailsWithImageNotFound() {
        assertThatThrownBy(() -> create("berth-test/absent:1", s -> { })).isInstanceOfSatisfying(
                RuntimeFailure.class, e -> assertThat(e.kind()).isEqualTo(Kind.IMAGE_NOT_FOUND));
    }

    @Test
    void healthCheckTurnsHealthyAndIsReportedAsAnEvent() throws Exception {
        Map<String, String> only = labels("health");
        List<ContainerEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable ignored = runtime.events(only, events::add, () -> { })) {
            String id = run(TestImages.HTTPD, s -> {
                s.labels.putAll(only);
                s.healthCheck = new ContainerSpec.HealthCheck(List.of("CMD-SHELL",
                        "wget -q -O /dev/null http://127.0.0.1:" + TestImages.HTTPD_PORT + TestImages.HTTPD_HEALTH_PATH),
                        Duration.ofMillis(500), Duration.ofSeconds(2), 3, Duration.ZERO);
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> "healthy".equals(inspect(id).health()));
            await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                    .anyMatch(e -> e.containerId().equals(id) && e.action().equals("health_status: healthy")));
        }
    }

    @Test
    void stopSendsSigtermThenSigkillAfterTheGrace() throws Exception {
        String exitsOnTerm = run(TestImages.BUSYBOX,
                s -> s.command = List.of("sh", "-c", "trap 'exit 42' TERM; while :; do sleep 0.1; done"));
        String ignoresTerm = run(TestImages.BUSYBOX,
                s -> s.command = List.of("sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"));
        Thread.sleep(500); // the shells set their traps

        long t0 = System.nanoTime();
        runtime.stop(exitsOnTerm, Duration.ofSeconds(10), T);
        Duration gentle = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(inspect(exitsOnTerm).exitCode()).isEqualTo(42);
        assertThat(gentle).isLessThan(Duration.ofSeconds(5));

        t0 = System.nanoTime();
        runtime.stop(ignoresTerm, Duration.ofSeconds(1), T);
        Duration forced = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(inspect(ignoresTerm).exitCode()).isEqualTo(137);
        assertThat(forced).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aCallThatOverrunsItsTimeoutFailsWithTimeout() throws Exception {
        String id = run(TestImages.BUSYBOX, s -> s.command = List.of("sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> runtime.stop(id, Duration.ofSeconds(10), Duration.ofMillis(700)))
                .isInstanceOfSatisfying(RuntimeFailure.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(runtime.host(T).cpus()).isPositive(); // the runtime is still usable
    }

    @Test
    void eventsReportStartAndDieOfTheLabelledContainersOnly() throws Exception {
        Map<String, String> only = labels("events");
        List<ContainerEvent> events = new CopyOnWriteArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        AutoCloseable subscription = runtime.events(only, events::add, () -> closed.set(true));
        String other = run(TestImages.EXIT, s -> s.command = List.of("0"));
        String id = run(TestImages.EXIT, s -> {
            s.labels.putAll(only);
            s.command = List.of("4");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> actions(events, id).containsAll(List.of("start", "die")));
        assertThat(actions(events, id)).startsWith("start");
        ContainerEvent die = events.stream().filter(e -> e.containerId().equals(id) && e.action().equals("die"))
                .findFirst().orElseThrow();
        assertThat(die.labels()).containsAllEntriesOf(only).doesNotContainKeys("name", "image", "exitCode");
        assertThat(die.at()).isNotNull();
        awaitExit(other);
        assertThat(events).noneMatch(e -> e.containerId().equals(other));

        subscription.close();
        Thread.sleep(200);
        assertThat(closed).as("onClose after the caller's own close").isFalse();
    }

    @Test
    void aNamedVolumeIsSharedBetweenContainers() {
        String volume = "berth-it-" + RUN + "-data";
        volumes.add(volume);
        runtime.createVolume(volume, "local", Map.of(), RUN_LABEL, T);
        runtime.createVolume(volume, "local", Map.of(), RUN_LABEL, T); // idempotent

        String writer = run(TestImages.BUSYBOX, s -> {
            s.binds = List.of(volume + ":/data");
            s.command = List.of("sh", "-c", "echo shared > /data/f");
        });
        assertThat(awaitExit(writer).exitCode()).isZero();
        String viaVolumesFrom = run(TestImages.BUSYBOX, s -> {
            s.volumesFrom = List.of(writer);
            s.command = List.of("sh", "-c", "test \"$(cat /data/f)\" = shared");
        });
        String readOnly = run(TestImages.BUSYBOX, s -> {
            s.binds = List.of(volume + ":/data:ro");
            s.command = List.of("sh", "-c", "test \"$(cat /data/f)\" = shared || exit 1; touch /data/g && exit 2; exit 0");
        });
        assertThat(awaitExit(viaVolumesFrom).exitCode()).isZero();
        assertThat(awaitExit(readOnly).exitCode()).isZero();

        for (String id : List.of(writer, viaVolumesFrom, readOnly)) {
            runtime.remove(id, T);
        }
        runtime.removeVolume(volume, T);
        runtime.removeVolume(volume, T); // gone already: fine
    }

    @Test
    void listsContainersCarryingAllTheLabels() {
        Map<String, String> groupA = labels("list-a");
        String a1 = create(TestImages.BUSYBOX, s -> s.labels.putAll(groupA));
        String a2 = create(TestImages.BUSYBOX, s -> s.labels.putAll(groupA));
        create(TestImages.BUSYBOX, s -> s.labels.putAll(labels("list-b")));

        Map<String, String> filter = new HashMap<>(RUN_LABEL);
        filter.putAll(groupA);
        assertThat(runtime.list(filter, T)).extracting(ContainerState::id).containsExactlyInAnyOrder(a1, a2);
    }

    @Test
    void theSpecReachesTheContainer() {
        String checks = String.join("\n",
                "test \"$FOO\" = 'bar baz' || exit 10",
                "test \"$(pwd)\" = /tmp || exit 11",
                "test \"$(id -u)\" = 65534 || exit 12",
                "test \"$(ulimit -n)\" = 1024 || exit 13",
                "grep -q '10.1.2.3.*berth-extra' /etc/hosts || exit 14",
                "touch /tmp/x 2>/dev/null && exit 15",
                "test \"$(cat /proc/1/comm)\" != sh || exit 16",
                "v1=/sys/fs/cgroup/memory",
                "if [ -r $v1/memory.limit_in_bytes ]; then",
                "  test \"$(cat $v1/memory.limit_in_bytes)\" = 67108864 || exit 17",
                "  test \"$(cat $v1/memory.soft_limit_in_bytes)\" = 33554432 || exit 18",
                "  test \"$(cat /sys/fs/cgroup/cpu/cpu.shares)\" = 512 || exit 19",
                "elif [ -r /sys/fs/cgroup/memory.max ]; then",
                "  test \"$(cat /sys/fs/cgroup/memory.max)\" = 67108864 || exit 17",
                "fi",
                "exit 0");
        String id = run(TestImages.BUSYBOX, s -> {
            s.command = List.of("sh", "-c", checks);
            s.environment = Map.of("FOO", "bar baz");
            s.workingDirectory = "/tmp";
            s.user = "65534";
            s.ulimits = List.of(new ContainerSpec.Ulimit("nofile", 1024, 2048));
            s.extraHosts = List.of("berth-extra:10.1.2.3");
            s.readonlyRootFilesystem = true;
            s.init = true;
            s.memoryBytes = 64L << 20;
            s.memoryReservationBytes = 32L << 20;
            s.cpuShares = 512;
            s.networkMode = "bridge";
            s.stopTimeout = Duration.ofSeconds(1);
        });
        assertThat(awaitExit(id).exitCode()).as("the check that failed (see the script)").isZero();
    }

    // ------------------------------------------------------------------ helpers --

    /** A label unique to this run and case, for filters that must not see the other cases. */
    private static Map<String, String> labels(String testCase) {
        return Map.of("berth.test.case", testCase + "-" + RUN);
    }

    private static List<String> actions(List<ContainerEvent> events, String containerId) {
        return events.stream().filter(e -> e.containerId().equals(containerId)).map(ContainerEvent::action).toList();
    }

    private static ContainerState inspect(String id) {
        return runtime.inspect(id, T).orElseThrow(() -> new AssertionError("no container " + id));
    }

    private static ContainerState awaitExit(String id) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> inspect(id).exited());
        return inspect(id);
    }

    private static String create(String image, Consumer<Spec> customize) {
        Spec spec = new Spec();
        customize.accept(spec);
        return runtime.create(spec.build(image), T);
    }

    private static String run(String image, Consumer<Spec> customize) {
        String id = create(image, customize);
        runtime.start(id, T);
        return id;
    }

    /** A mutable ContainerSpec for the cases; every container gets this run's label. */
    private static final class Spec {
        List<String> command;
        Map<String, String> environment = Map.of();
        String workingDirectory;
        String user;
        final Map<String, String> labels = new HashMap<>(RUN_LABEL);
        String networkMode;
        List<PortBinding> ports = List.of();
        int cpuShares;
        Long memoryBytes;
        Long memoryReservationBytes;
        List<ContainerSpec.Ulimit> ulimits = List.of();
        boolean readonlyRootFilesystem;
        boolean init;
        List<String> binds = List.of();
        List<String> volumesFrom = List.of();
        ContainerSpec.HealthCheck healthCheck;
        Duration stopTimeout;
        List<String> extraHosts = List.of();

        ContainerSpec build(String image) {
            String name = "berth-it-" + RUN.substring(0, 8) + "-" + names.incrementAndGet();
            return new ContainerSpec(name, image, command, null, environment, workingDirectory, user, labels,
                    networkMode, ports, cpuShares, memoryBytes, memoryReservationBytes, ulimits,
                    readonlyRootFilesystem, init, false, binds, volumesFrom, healthCheck, stopTimeout, extraHosts);
        }
    }
}
