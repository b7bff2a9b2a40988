package io.berth.agent.cgroup;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.TaskCgroups;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which {@link TaskCgroups} a host has, from what its Docker Engine says of its cgroups
 * ({@code docker info}: CgroupDriver, CgroupVersion). Only the cgroupfs driver names cgroups by
 * path ({@code CgroupParent=/ecs/<id>}), and only an engine on this host shares its cgroup
 * filesystem with the agent; anything else has none, with the reason.
 */
public final class HostCgroups {
    /** Where the cgroup filesystem is mounted. */
    public static final Path ROOT = Path.of("/sys/fs/cgroup");

    private HostCgroups() {
    }

    /**
     * The task cgroups of an engine at {@code engine} with cgroup {@code driver} and {@code version}
     * ("1" or "2"), on the cgroup filesystem at {@code root}; made ready (their {@code /ecs} cgroup
     * exists), or unsupported with the reason.
     */
    public static TaskCgroups detect(URI engine, String driver, String version, Path root) {
        if (engine != null && !"unix".equals(engine.getScheme())) {
            return TaskCgroups.unsupported("the Docker Engine at " + engine + " may be on another host");
        }
        String d = driver == null ? "" : driver.toLowerCase(Locale.ROOT);
        if (!d.equals("cgroupfs")) {
            return TaskCgroups.unsupported("the Docker Engine uses the " + (d.isEmpty() ? "unknown" : d)
                    + " cgroup driver; Berth makes task cgroups for the cgroupfs driver only");
        }
        try {
            if ("2".equals(version)) {
                CgroupV2TaskCgroups v2 = new CgroupV2TaskCgroups(root);
                v2.init();
                return v2;
            }
            if (version == null || version.isBlank() || "1".equals(version)) {
                CgroupV1TaskCgroups v1 = new CgroupV1TaskCgroups(root);
                v1.init();
                return v1;
            }
            return TaskCgroups.unsupported("unknown cgroup version " + version);
        } catch (RuntimeFailure f) {
            return TaskCgroups.unsupported("the cgroup filesystem cannot be written: " + f.getMessage());
        }
    }
}
