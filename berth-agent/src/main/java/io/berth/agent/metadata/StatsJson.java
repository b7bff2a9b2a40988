package io.berth.agent.metadata;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.runtime.ContainerStats;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link ContainerStats} in the shape of Docker's stats JSON, as the task metadata endpoint's
 * {@code /stats} returns it (the ECS agent passes Docker's answer through and adds
 * {@code network_rate_stats}).
 */
final class StatsJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private StatsJson() {
    }

    static ObjectNode of(StatsSampler.Samples s, String name, String id) {
        ContainerStats now = s.latest();
        ContainerStats before = s.previous();
        ObjectNode o = F.objectNode();
        o.put("read", now.read().toString());
        o.put("preread", before == null ? ZERO_TIME : before.read().toString());
        o.putObject("pids_stats").put("current", now.pids());
        ObjectNode blkio = o.putObject("blkio_stats");
        ArrayNode bytes = blkio.putArray("io_service_bytes_recursive");
        now.blockIo().forEach(b -> bytes.addObject().put("major", b.major()).put("minor", b.minor())
                .put("op", b.op()).put("value", b.value()));
        for (String empty : new String[] {"io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive",
                "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive"}) {
            blkio.putArray(empty);
        }
        o.put("num_procs", 0);
        o.putObject("storage_stats");
        o.set("cpu_stats", cpu(now));
        o.set("precpu_stats", before == null ? emptyCpu() : cpu(before));
        ObjectNode memory = o.putObject("memory_stats");
        memory.put("usage", now.memoryUsageBytes());
        memory.put("max_usage", now.memoryMaxUsageBytes());
        ObjectNode ms = memory.putObject("stats");
        now.memoryStats().forEach(ms::put);
        memory.put("limit", now.memoryLimitBytes());
        o.put("name", name.startsWith("/") ? name : "/" + name);
        o.put("id", id);
        if (!now.networks().isEmpty()) {
            ObjectNode networks = o.putObject("networks");
            now.networks().forEach((nic, n) -> networks.putObject(nic)
                    .put("rx_bytes", n.rxBytes()).put("rx_packets", n.rxPackets()).put("rx_errors", n.rxErrors())
                    .put("rx_dropped", n.rxDropped()).put("tx_bytes", n.txBytes()).put("tx_packets", n.txPackets())
                    .put("tx_errors", n.txErrors()).put("tx_dropped", n.txDropped()));
            o.set("network_rate_stats", rates(before, now));
        }
        return o;
    }

    private static ObjectNode cpu(ContainerStats s) {
        ObjectNode cpu = F.objectNode();
        ObjectNode usage = cpu.putObject("cpu_usage");
        usage.put("total_usage", s.cpuTotalNanos());
        if (!s.perCpuNanos().isEmpty()) {
            ArrayNode per = usage.putArray("percpu_usage");
            s.perCpuNanos().forEach(per::add);
        }
        usage.put("usage_in_kernelmode", s.cpuKernelNanos());
        usage.put("usage_in_usermode", s.cpuUserNanos());
        cpu.put("system_cpu_usage", s.systemCpuNanos());
        cpu.put("online_cpus", s.onlineCpus());
        cpu.putObject("throttling_data").put("periods", 0).put("throttled_periods", 0).put("throttled_time", 0);
        return cpu;
    }

    private static ObjectNode emptyCpu() {
        ObjectNode cpu = F.objectNode();
        cpu.putObject("cpu_usage").put("total_usage", 0).put("usage_in_kernelmode", 0).put("usage_in_usermode", 0);
        cpu.putObject("throttling_data").put("periods", 0).put("throttled_periods", 0).put("throttled_time", 0);
        return cpu;
    }

    /** Bytes per second received and sent over all interfaces between the two samples. */
    private static ObjectNode rates(ContainerStats before, ContainerStats now) {
        ObjectNode r = F.objectNode();
        if (before == null) {
            return r.put("rx_bytes_per_sec", 0.0).put("tx_bytes_per_sec", 0.0);
        }
        double seconds = Math.max(0.001, Duration.between(before.read(), now.read()).toNanos() / 1e9);
        long rx = 0;
        long tx = 0;
        for (var e : now.networks().entrySet()) {
            ContainerStats.NetworkCounters b = before.networks().get(e.getKey());
            rx += e.getValue().rxBytes() - (b == null ? 0 : b.rxBytes());
            tx += e.getValue().txBytes() - (b == null ? 0 : b.txBytes());
        }
        return r.put("rx_bytes_per_sec", Math.max(0, rx) / seconds).put("tx_bytes_per_sec", Math.max(0, tx) / seconds);
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
