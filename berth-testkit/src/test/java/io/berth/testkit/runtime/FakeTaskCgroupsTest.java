package io.berth.testkit.runtime;

import io.berth.core.runtime.TaskCgroups;

class FakeTaskCgroupsTest extends TaskCgroupsContract {
    @Override
    protected TaskCgroups cgroups() {
        return new FakeTaskCgroups();
    }
}
