package io.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.agent.channel.Backoff;
import io.berth.agent.engine.EngineSnapshot;
import io.berth.core.agent.AgentReport;
import io.berth.core.agent.TaskReport;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the report loop sends, and when: a task on its way up waits for the settle time. */
class ReportLoopTest {
    private static final String TASK = "arn:aws:ecs:us-east-1:000000000000:task/default/0a1b2c3d";
    private static final Duration SETTLE = Duration.ofMillis(400);

    private final FakeServerChannel server = new FakeServerChannel();
    private final AtomicReference<EngineSnapshot> snapshot = new AtomicReference<>(
            new EngineSnapshot(true, 1, Map.of()));
    private final ReportLoop loop = new ReportLoop(server, snapshot::get, new ReportLoop.Auth() {
        @Override
        public long generation() {
            return 0;
        }

        @Override
        public void reauthenticate(long failedGeneration) {
        }
    }, Duration.ofMillis(5), Duration.ofMinutes(5), SETTLE, InstantSource.system(),
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), new SplittableRandom(1)),
            io.berth.core.metrics.Metrics.NONE);
    private final Thread thread = Thread.ofPlatform().daemon().start(loop);

    @AfterEach
    void stop() {
        loop.close();
        thread.interrupt();
    }

    @Test
    void aStartThatEndsWithinTheSettleTimeIsOneReport() throws Exception {
        await().until(() -> server.applied.size() == 1); // the first report (no tasks yet) goes at once
        show("PENDING");
        Thread.sleep(50);
        show("ACTIVATING");
        Thread.sleep(50);
        show("RUNNING");
        await().atMost(Duration.ofSeconds(2)).until(() -> server.applied.size() == 2);
        Thread.sleep(SETTLE.toMillis() + 100);
        assertThat(server.applied).hasSize(2);
        assertThat(statuses(server.applied.get(1))).containsExactly("RUNNING");
    }

    @Test
    void aTaskStillOnItsWayUpIsReportedOnceTheSettleTimeHasPassed() {
        assertThat(untilReported("PENDING")).isGreaterThanOrEqualTo(SETTLE.minusMillis(20));
        assertThat(statuses(server.applied.get(1))).containsExactly("PENDING");
    }

    @Test
    void aStoppedTaskIsReportedAtOnce() {
        assertThat(untilReported("STOPPED")).isLessThan(SETTLE);
    }

    /** After the first report: how long a task shown in {@code status} takes to reach the server. */
    private Duration untilReported(String status) {
        await().until(() -> server.applied.size() == 1);
        long shown = System.nanoTime();
        show(status);
        await().atMost(Duration.ofSeconds(2)).until(() -> server.applied.size() == 2);
        return Duration.ofNanos(System.nanoTime() - shown);
    }

    private void show(String status) {
        snapshot.set(new EngineSnapshot(true, 1, Map.of(TASK, new TaskReport(TASK, status, "UNKNOWN", null, null,
                null, null, null, null, List.of()))));
        loop.wake();
    }

    private static List<String> statuses(AgentReport report) {
        return report.tasks().stream().map(TaskReport::lastStatus).toList();
    }
}
