package io.hawser.console.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The figures a stats chart shows, from two consecutive documents of {@code GET /containers/{id}/stats} computed as
 * the docker CLI does (cli/command/container/stats_helpers.go): CPU % from the deltas of the container's and the
 * system's CPU time times the online CPUs; memory as usage less the page cache ({@code inactive_file} on cgroup v2,
 * {@code total_inactive_file} or {@code cache} on v1); network and block I/O as bytes per second since the previous
 * sample.
 */
public record StatsSample(Instant time, double cpuPercent, long memoryBytes, long memoryLimit, double rxPerSecond,
                          double txPerSecond, double readPerSecond, double writePerSecond) {

    /** @param previous the document before this one, or null for the first (its rates are then 0) */
    public static StatsSample of(JsonNode now, JsonNode previous) {
        Instant time = time(now);
        double cpu = 0;
        long cpuDelta = now.path("cpu_stats").path("cpu_usage").path("total_usage").asLong()
                - now.path("precpu_stats").path("cpu_usage").path("total_usage").asLong();
        long systemDelta = now.path("cpu_stats").path("system_cpu_usage").asLong()
                - now.path("precpu_stats").path("system_cpu_usage").asLong();
        int cpus = now.path("cpu_stats").path("online_cpus").asInt(0);
        if (cpus == 0) {
            cpus = Math.max(1, now.path("cpu_stats").path("cpu_usage").path("percpu_usage").size());
        }
        if (cpuDelta > 0 && systemDelta > 0) {
            cpu = (double) cpuDelta / systemDelta * cpus * 100.0;
        }
        JsonNode memory = now.path("memory_stats");
        long usage = memory.path("usage").asLong();
        JsonNode stats = memory.path("stats");
        long cache = stats.has("inactive_file") ? stats.path("inactive_file").asLong()
                : stats.has("total_inactive_file") ? stats.path("total_inactive_file").asLong()
                : stats.path("cache").asLong();
        long used = cache < usage ? usage - cache : usage;
        double rx = 0;
        double tx = 0;
        double read = 0;
        double write = 0;
        if (previous != null) {
            double seconds = (time.toEpochMilli() - time(previous).toEpochMilli()) / 1000.0;
            if (seconds > 0) {
                rx = Math.max(0, network(now, "rx_bytes") - network(previous, "rx_bytes")) / seconds;
                tx = Math.max(0, network(now, "tx_bytes") - network(previous, "tx_bytes")) / seconds;
                read = Math.max(0, block(now, "read") - block(previous, "read")) / seconds;
                write = Math.max(0, block(now, "write") - block(previous, "write")) / seconds;
            }
        }
        return new StatsSample(time, cpu, used, memory.path("limit").asLong(), rx, tx, read, write);
    }

    private static Instant time(JsonNode doc) {
        try {
            return OffsetDateTime.parse(doc.path("read").asText()).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static long network(JsonNode doc, String field) {
        long sum = 0;
        for (JsonNode n : doc.path("networks")) {
            sum += n.path(field).asLong();
        }
        return sum;
    }

    private static long block(JsonNode doc, String op) {
        long sum = 0;
        for (JsonNode e : doc.path("blkio_stats").path("io_service_bytes_recursive")) {
            if (e.path("op").asText().toLowerCase(Locale.ROOT).equals(op)) {
                sum += e.path("value").asLong();
            }
        }
        return sum;
    }
}
