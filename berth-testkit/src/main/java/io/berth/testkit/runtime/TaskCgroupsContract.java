package io.berth.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.TaskCgroups;
import io.berth.core.runtime.TaskLimits;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskCgroups} that supports task cgroups does; adapters extend this and give
 * {@link #cgroups()} (a fresh one per test, on their own fake filesystem if they need one).
 */
public abstract class TaskCgroupsContract {
    private static final TaskLimits LIMITS = new TaskLimits(64L << 20, 25_000L, 100_000, null);

    /** The task cgroups under test, ready (supported). */
    protected abstract TaskCgroups cgroups();

    @Test
    void isSupported() {
        assertThat(cgroups().unsupportedReason()).isNull();
    }

    @Test
    void theParentOfATasksContainersIsEcsSlashTaskId() {
        assertThat(cgroups().create("4f6c1f0e8b2d4e7a9c3b5d1e2f3a4b5c", LIMITS))
                .isEqualTo("/ecs/4f6c1f0e8b2d4e7a9c3b5d1e2f3a4b5c");
    }

    @Test
    void createIsIdempotentAndSoIsRemove() {
        TaskCgroups cgroups = cgroups();
        assertThat(cgroups.create("t1", LIMITS)).isEqualTo(cgroups.create("t1", LIMITS));
        cgroups.remove("t1");
        cgroups.remove("t1");
        cgroups.remove("never-made");
        assertThat(cgroups.create("t1", LIMITS)).isEqualTo("/ecs/t1");
    }

    @Test
    void refusesWhatIsNoTaskId() {
        TaskCgroups cgroups = cgroups();
        for (String bad : new String[] {"..", "../etc", "a/b", "", "-x"}) {
            assertThatThrownBy(() -> cgroups.create(bad, LIMITS)).as(bad).isInstanceOf(RuntimeFailure.class);
        }
    }
}
