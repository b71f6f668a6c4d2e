package io.hawser.console.inventory;

import com.fasterxml.jackson.databind.JsonNode;

/** What an agent reports about its host in {@code hello}. Unknown facts are null. */
public record HostFacts(String hostname, String agentVersion, String kernelVersion, String operatingSystem,
                        String cgroupVersion, Integer cpus, Long memoryBytes) {

    public static HostFacts fromHello(JsonNode hello) {
        JsonNode f = hello.path("facts");
        return new HostFacts(text(f, "hostname"), text(hello, "agentVersion"), text(f, "kernelVersion"),
                text(f, "operatingSystem"), text(f, "cgroupVersion"),
                f.hasNonNull("cpus") ? f.path("cpus").asInt() : null,
                f.hasNonNull("memoryBytes") ? f.path("memoryBytes").asLong() : null);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.path(field).asText() : null;
    }
}
