package io.berth.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.agent.runtime.DockerEngineRuntime;
import io.berth.core.runtime.ContainerLogs;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ContainerState;
import io.berth.core.runtime.ContainerStats;
import io.berth.core.runtime.LogLine;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.testkit.images.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The runtime's logs and stats on a real Docker Engine: what the agent's log shipping and the
 * metadata endpoint's stats read. Skipped without an engine unless {@code -Dberth.requireDocker=true};
 * removes only the containers it made (label {@code berth.test=<run>}).
 */
@Tag("docker")
class DockerLogsIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Map<String, String> RUN = Map.of("berth.test", UUID.randomUUID().toString());
    private static DockerEngineRuntime runtime;

    @BeforeAll
    static void engine() {
        runtime = new DockerEngineRuntime();
        try {
            runtime.host(Duration.ofSeconds(10));
        } catch (RuntimeFailure e) {
            runtime.close();
            runtime = null;
            if (Boolean.getBoolean("berth.requireDocker")) {
                fail("no Docker Engine answers (and berth.requireDocker=true): " + e.getMessage());
            }
            assumeTrue(false, "no Docker Engine answers: " + e.getMessage());
        }
        runtime.load(TestImages.openArchive(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void cleanUp() {
        if (runtime != null) {
            for (ContainerState c : runtime.list(RUN, T)) {
                runtime.remove(c.id(), T);
            }
            runtime.close();
        }
    }

    private static String run(String script) {
        ContainerSpec spec = new ContainerSpec("berth-logs-it-" + UUID.randomUUID(), TestImages.BUSYBOX,
                List.of("sh", "-c", script), null, Map.of(), null, null, RUN, "bridge", List.of(), 2, 64L << 20, null,
                List.of(), false, false, false, List.of(), List.of(), null, Duration.ofSeconds(1), List.of());
        String id = runtime.create(spec, T);
        runtime.start(id, T);
        return id;
    }

    private static List<LogLine> readAll(String id, java.time.Instant since) {
        List<LogLine> lines = new ArrayList<>();
        try (ContainerLogs logs = runtime.logs(id, since, true, T)) {
            for (LogLine l = logs.next(); l != null; l = logs.next()) {
                lines.add(l);
            }
        }
        return lines;
    }

    @Test
    void followsStdoutAndStderrWithTimestampsToTheEnd() {
        String id = run("echo one; echo two >&2; head -c 20000 /dev/zero | tr '\\0' x; echo; sleep 1; echo three");
        List<LogLine> lines = readAll(id, null);
        List<String> texts = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        for (LogLine l : lines) {
            if (l.partial()) {
                joined.append(l.text());
                continue;
            }
            texts.add(joined.append(l.text()).toString());
            joined.setLength(0);
        }
        // stdout and stderr are two pipes: Docker's order between them is the order it read them in
        assertThat(texts).hasSize(4);
        assertThat(texts.subList(0, 2)).containsExactlyInAnyOrder("one", "two");
        assertThat(texts.get(2).length()).as("the 20,000 x joined again").isEqualTo(20_000);
        assertThat(texts.get(2).chars().allMatch(ch -> ch == 'x')).isTrue();
        assertThat(texts.get(3)).isEqualTo("three");
        assertThat(lines.stream().filter(l -> l.text().equals("two")).findFirst().orElseThrow().stderr()).isTrue();
        assertThat(lines.stream().filter(l -> l.text().equals("one")).findFirst().orElseThrow().stderr()).isFalse();
        assertThat(lines.stream().anyMatch(LogLine::partial)).as("Docker splits lines at 16 KiB").isTrue();
        assertThat(lines.get(lines.size() - 1).timestamp()).isAfter(lines.get(0).timestamp());

        // reading again from a line's timestamp starts at that line
        LogLine three = lines.get(lines.size() - 1);
        List<LogLine> again = readAll(id, three.timestamp());
        assertThat(again).extracting(LogLine::text).containsExactly("three");
    }

    @Test
    void aMissingContainerIsNotFound() {
        try {
            runtime.logs("no-such-container-" + UUID.randomUUID(), null, false, T).close();
            fail("expected NOT_FOUND");
        } catch (RuntimeFailure e) {
            assertThat(e.kind()).isEqualTo(RuntimeFailure.Kind.NOT_FOUND);
        }
    }

    @Test
    void statsOfABusyContainerShowCpuUse() {
        String id = run("while :; do :; done");
        ContainerStats first = await().atMost(T).until(() -> runtime.stats(id, T).orElse(null),
                s -> s != null && s.cpuTotalNanos() > 0);
        await().atMost(T).pollInterval(Duration.ofMillis(500)).until(() -> runtime.stats(id, T).orElseThrow(),
                s -> s.cpuPercentSince(first) > 10);
        ContainerStats s = runtime.stats(id, T).orElseThrow();
        assertThat(s.memoryLimitBytes()).isEqualTo(64L << 20);
        assertThat(s.memoryUsageBytes()).isPositive();
        assertThat(s.onlineCpus()).isPositive();
        assertThat(s.networks()).containsKey("eth0");
        runtime.stop(id, Duration.ZERO, T);
        assertThat(runtime.stats(id, T)).isEmpty();
    }
}
