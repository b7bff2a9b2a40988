package io.berth.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which hosts have task cgroups, and why the others have none. */
class HostCgroupsTest {
    @TempDir
    Path root;

    @Test
    void theSystemdDriverHasNone() {
        assertThat(HostCgroups.detect(URI.create("unix:///var/run/docker.sock"), "systemd", "2", root)
                .unsupportedReason()).contains("systemd cgroup driver");
    }

    @Test
    void anEngineReachedOverTcpHasNone() {
        assertThat(HostCgroups.detect(URI.create("tcp://10.0.0.5:2376"), "cgroupfs", "1", root).unsupportedReason())
                .contains("may be on another host");
    }

    @Test
    void aCgroupFilesystemThatCannotBeWrittenHasNone() throws Exception {
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("cpu"));
        Files.writeString(root.resolve("memory/ecs"), "a file where the /ecs cgroup should go");
        assertThat(HostCgroups.detect(null, "cgroupfs", "1", root).unsupportedReason())
                .startsWith("the cgroup filesystem cannot be written");
    }

    @Test
    void aHostWithoutTheHierarchiesHasNone() {
        assertThat(HostCgroups.detect(null, "cgroupfs", "1", root).unsupportedReason())
                .contains("no memory cgroup hierarchy");
    }
}
