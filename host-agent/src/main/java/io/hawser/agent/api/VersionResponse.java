package io.hawser.agent.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The wire shape of {@code GET /version} (SystemVersion in the Engine API spec), field names as dockerd
 * writes them. Fields this agent cannot fill truthfully (GoVersion) are left out, not faked.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record VersionResponse(
        @JsonProperty("Platform") Platform platform,
        @JsonProperty("Components") List<Component> components,
        @JsonProperty("Version") String version,
        @JsonProperty("ApiVersion") String apiVersion,
        @JsonProperty("MinAPIVersion") String minApiVersion,
        @JsonProperty("GitCommit") String gitCommit,
        @JsonProperty("Os") String os,
        @JsonProperty("Arch") String arch,
        @JsonProperty("KernelVersion") String kernelVersion,
        @JsonProperty("BuildTime") String buildTime) {

    record Platform(@JsonProperty("Name") String name) {}

    record Component(@JsonProperty("Name") String name,
                     @JsonProperty("Version") String version,
                     @JsonProperty("Details") Map<String, String> details) {}
}
