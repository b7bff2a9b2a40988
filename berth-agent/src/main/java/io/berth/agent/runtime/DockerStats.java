package io.berth.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.runtime.ContainerStats;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's stats JSON ({@code GET /containers/{id}/stats}) → {@link ContainerStats}. */
final class DockerStats {
    private DockerStats() {
    }

    static ContainerStats from(JsonNode s) {
        JsonNode cpu = s.path("cpu_stats");
        JsonNode usage = cpu.path("cpu_usage");
        List<Long> perCpu = new ArrayList<>();
        usage.path("percpu_usage").forEach(v -> perCpu.add(v.asLong()));
        JsonNode memory = s.path("memory_stats");
        Map<String, Long> memoryStats = new LinkedHashMap<>();
        memory.path("stats").fields().forEachRemaining(e -> memoryStats.put(e.getKey(), e.getValue().asLong()));
        Map<String, ContainerStats.NetworkCounters> networks = new LinkedHashMap<>();
        s.path("networks").fields().forEachRemaining(e -> {
            JsonNode n = e.getValue();
            networks.put(e.getKey(), new ContainerStats.NetworkCounters(n.path("rx_bytes").asLong(),
                    n.path("rx_packets").asLong(), n.path("rx_errors").asLong(), n.path("rx_dropped").asLong(),
                    n.path("tx_bytes").asLong(), n.path("tx_packets").asLong(), n.path("tx_errors").asLong(),
                    n.path("tx_dropped").asLong()));
        });
        List<ContainerStats.BlockIo> blockIo = new ArrayList<>();
        s.path("blkio_stats").path("io_service_bytes_recursive").forEach(b -> blockIo.add(new ContainerStats.BlockIo(
                b.path("major").asLong(), b.path("minor").asLong(), b.path("op").asText(), b.path("value").asLong())));
        int online = cpu.path("online_cpus").asInt(0);
        if (online == 0) {
            online = perCpu.size();
        }
        return new ContainerStats(instant(s.path("read").asText(null)), usage.path("total_usage").asLong(),
                usage.path("usage_in_kernelmode").asLong(), usage.path("usage_in_usermode").asLong(), perCpu,
                cpu.path("system_cpu_usage").asLong(), online, memory.path("usage").asLong(),
                memory.path("max_usage").asLong(), memory.path("limit").asLong(), memoryStats, networks,
                s.path("pids_stats").path("current").asLong(), blockIo);
    }

    private static Instant instant(String text) {
        if (text == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
