package io.hawser.agent.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An image config as stored on disk (its bytes' sha256 is the image id), in the Docker/OCI image config
 * format: lower-case top-level keys, Go-style keys inside {@code config}.
 *
 * @param created RFC 3339 with nanoseconds, as Go writes {@code time.Time}
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/config.md">OCI image config</a>
 * @see <a href="https://github.com/moby/docker-image-spec/blob/main/spec.md">Docker image spec v1.2</a>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfig(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("created") String created,
        @JsonProperty("author") String author,
        @JsonProperty("comment") String comment,
        @JsonProperty("docker_version") String dockerVersion,
        @JsonProperty("config") RunConfig config,
        @JsonProperty("rootfs") RootFs rootfs,
        @JsonProperty("history") List<History> history) {

    public ImageConfig {
        config = config == null ? RunConfig.EMPTY : config;
        rootfs = rootfs == null ? new RootFs("layers", List.of()) : rootfs;
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The defaults a container gets from its image ({@code docker run} overrides them). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunConfig(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("OnBuild") List<String> onBuild) {

        public static final RunConfig EMPTY = new RunConfig(null, null, null, null, null, null, null, null, null);

        /** Without ONBUILD triggers (docker import, commit); the build package sets them (issue 4). */
        public RunConfig(String user, Map<String, Map<String, Object>> exposedPorts, List<String> env, List<String> entrypoint,
                         List<String> cmd, Map<String, Map<String, Object>> volumes, String workingDir, Map<String, String> labels,
                         String stopSignal) {
            this(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal, null);
        }
    }

    /** {@code diff_ids}: sha256 of each layer's uncompressed tar, bottom first. */
    public record RootFs(@JsonProperty("type") String type, @JsonProperty("diff_ids") List<String> diffIds) {
        public RootFs {
            diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(
            @JsonProperty("created") String created,
            @JsonProperty("created_by") String createdBy,
            @JsonProperty("comment") String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer) {}

    /** The layers as digests, bottom first. */
    public List<Digest> diffIds() {
        return rootfs.diffIds().stream().map(Digest::parse).toList();
    }
}
