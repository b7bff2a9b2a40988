package io.berth.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.berth.core.store.Change;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged commit survives {@code kill -9} of the process that made it. */
class SqliteCrashTest {

    private static final int ACKS_BEFORE_KILL = 1_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
        Path storeDir = dir.resolve("store");
        Path childErr = dir.resolve("child.err");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        CrashingCommitter.class.getName(), storeDir.toString(), "16")
                .redirectError(childErr.toFile())
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < ACKS_BEFORE_KILL && (line = lines.readLine()) != null) {
                acknowledged.add(line);
            }
            child.destroyForcibly(); // SIGKILL, mid-commit: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        if (acknowledged.size() < ACKS_BEFORE_KILL) {
            fail("child stopped after " + acknowledged.size() + " acks:\n" + Files.readString(childErr));
        }

        try (SqliteStateStore store = SqliteStateStore.open(storeDir)) {
            List<String> lost = acknowledged.stream()
                    .filter(key -> store.get("crash", key).isEmpty())
                    .toList();
            assertThat(lost).as("acknowledged but lost").isEmpty();
            assertThat(store.lastSequence()).isGreaterThanOrEqualTo(acknowledged.size());
            assertThat(store.count("crash", "")).isEqualTo((int) store.lastSequence());
            List<Change> feed = store.changesSince(0, Integer.MAX_VALUE);
            assertThat(feed).hasSize((int) store.lastSequence());
            for (int i = 0; i < feed.size(); i++) {
                assertThat(feed.get(i).sequence()).isEqualTo(i + 1L);
            }
        }
    }
}
