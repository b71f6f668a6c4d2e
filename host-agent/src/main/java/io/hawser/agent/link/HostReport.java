package io.hawser.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The link's control messages about this host, read from the agent's own API: {@code hello} (facts),
 * {@code inventory}, the container row and image list that go with an {@code event}, and {@code stats}.
 * Endpoints this build lacks answer 404 ("page not found"): the report then says less (an empty container list,
 * facts from {@code /version} and the kernel's own files), and logs it once.
 */
final class HostReport {

    private static final Logger LOG = Logger.getLogger(HostReport.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalApi api;
    private final String agentVersion;
    private final Map<String, long[]> previousCpu = new HashMap<>(); // id -> {container total, system total}
    private boolean warnedContainers;

    HostReport(LocalApi api, String agentVersion) {
        this.api = api;
        this.agentVersion = agentVersion;
    }

    ObjectNode hello() throws IOException {
        ObjectNode facts = JSON.createObjectNode();
        JsonNode info = api.getJson("/info");
        if (info != null) {
            facts.put("hostname", info.path("Name").asText(null));
            facts.put("kernelVersion", info.path("KernelVersion").asText(null));
            facts.put("operatingSystem", info.path("OperatingSystem").asText(null));
            facts.put("cgroupVersion", info.path("CgroupVersion").asText(null));
            facts.put("cpus", info.path("NCPU").asInt(Runtime.getRuntime().availableProcessors()));
            facts.put("memoryBytes", info.path("MemTotal").asLong(memTotal()));
        } else {
            JsonNode version = api.getJson("/version");
            facts.put("hostname", hostname());
            facts.put("kernelVersion", version == null ? null : version.path("KernelVersion").asText(null));
            facts.put("operatingSystem", prettyName());
            facts.put("cgroupVersion", Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1");
            facts.put("cpus", Runtime.getRuntime().availableProcessors());
            facts.put("memoryBytes", memTotal());
        }
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("agentVersion", agentVersion);
        hello.set("facts", facts);
        return hello;
    }

    ObjectNode inventory() throws IOException {
        ObjectNode inventory = JSON.createObjectNode().put("type", "inventory");
        inventory.set("containers", containers("/containers/json?all=1"));
        inventory.set("images", images());
        return inventory;
    }

    /** The {@code event} message for one engine event, with what the console needs to apply it. */
    ObjectNode event(JsonNode event) throws IOException {
        ObjectNode message = JSON.createObjectNode().put("type", "event");
        message.set("event", event);
        String type = event.path("Type").asText("");
        if (type.equals("container")) {
            String id = event.path("Actor").path("ID").asText("");
            String filters = URLEncoder.encode("{\"id\":[\"" + id.replaceAll("[^A-Za-z0-9]", "") + "\"]}", StandardCharsets.UTF_8);
            JsonNode rows = api.getJson("/containers/json?all=1&filters=" + filters);
            if (rows != null && rows.isArray()) {
                if (rows.isEmpty()) {
                    message.put("containerGone", true);
                } else {
                    message.set("container", rows.get(0));
                }
            }
        } else if (type.equals("image")) {
            message.set("images", images());
        }
        return message;
    }

    /** The last stats of every running container; null when there is nothing to report. */
    ObjectNode stats() throws IOException {
        ArrayNode running = containers("/containers/json");
        ArrayNode stats = JSON.createArrayNode();
        Map<String, long[]> seen = new HashMap<>();
        for (JsonNode c : running) {
            String id = c.path("Id").asText("");
            JsonNode s = api.getJson("/containers/" + id + "/stats?stream=0&one-shot=true");
            if (s == null) {
                continue;
            }
            long total = s.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(0);
            long system = s.path("cpu_stats").path("system_cpu_usage").asLong(0);
            int cpus = s.path("cpu_stats").path("online_cpus").asInt(Runtime.getRuntime().availableProcessors());
            long[] before = previousCpu.get(id);
            seen.put(id, new long[] {total, system});
            ObjectNode row = stats.addObject().put("id", id);
            // As the docker CLI computes it (cli/command/container/stats_helpers.go, calculateCPUPercentUnix), but
            // against our previous sample: one-shot stats carry no precpu.
            if (before != null && system > before[1] && total >= before[0]) {
                row.put("cpuPercent", (double) (total - before[0]) / (system - before[1]) * cpus * 100.0);
            }
            JsonNode memory = s.path("memory_stats");
            if (memory.has("usage")) {
                row.put("memoryUsage", memory.path("usage").asLong());
            }
            if (memory.has("limit")) {
                row.put("memoryLimit", memory.path("limit").asLong());
            }
        }
        previousCpu.clear();
        previousCpu.putAll(seen);
        if (stats.isEmpty()) {
            return null;
        }
        ObjectNode message = JSON.createObjectNode().put("type", "stats");
        message.set("stats", stats);
        return message;
    }

    private ArrayNode containers(String path) throws IOException {
        JsonNode list = api.getJson(path);
        if (list == null) {
            if (!warnedContainers) {
                warnedContainers = true;
                LOG.info("link: this agent has no " + path + " endpoint (404); reporting no containers");
            }
            return JSON.createArrayNode();
        }
        return list.isArray() ? (ArrayNode) list : JSON.createArrayNode();
    }

    private ArrayNode images() throws IOException {
        JsonNode list = api.getJson("/images/json");
        return list != null && list.isArray() ? (ArrayNode) list : JSON.createArrayNode();
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static String prettyName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return null;
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return 0;
    }
}
