package io.hawser.agent.container;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The create body's {@code Config} (moby api/types/container.Config), the fields the agent acts on. Stored,
 * merged with the image's, in the container's {@code config.v2.json} and shown by inspect.
 * Cmd and Entrypoint may arrive as one string (Go's StrSlice); null and empty differ for Entrypoint.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerConfig(
        @JsonProperty("Hostname") String hostname,
        @JsonProperty("Domainname") String domainname,
        @JsonProperty("User") String user,
        @JsonProperty("AttachStdin") boolean attachStdin,
        @JsonProperty("AttachStdout") boolean attachStdout,
        @JsonProperty("AttachStderr") boolean attachStderr,
        @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
        @JsonProperty("Tty") boolean tty,
        @JsonProperty("OpenStdin") boolean openStdin,
        @JsonProperty("StdinOnce") boolean stdinOnce,
        @JsonProperty("Env") List<String> env,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Image") String image,
        @JsonProperty("Volumes") Map<String, Object> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("Entrypoint") List<String> entrypoint,
        @JsonProperty("OnBuild") List<String> onBuild,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("StopSignal") String stopSignal,
        @JsonProperty("StopTimeout") Integer stopTimeout) {

    public ContainerConfig {
        hostname = hostname == null ? "" : hostname;
        domainname = domainname == null ? "" : domainname;
        user = user == null ? "" : user;
        workingDir = workingDir == null ? "" : workingDir;
        image = image == null ? "" : image;
        env = env == null ? null : List.copyOf(env);
        cmd = cmd == null ? null : List.copyOf(cmd);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static ContainerConfig ofImage(String image, List<String> cmd) {
        return new ContainerConfig(null, null, null, false, false, false, null, false, false, false, null, cmd, image,
                null, null, null, null, null, null, null);
    }

    ContainerConfig withMerged(String hostname, String user, List<String> env, List<String> cmd, List<String> entrypoint,
            String workingDir, Map<String, String> labels, String stopSignal, Map<String, Object> exposedPorts) {
        return new ContainerConfig(hostname, domainname, user, attachStdin, attachStdout, attachStderr, exposedPorts, tty,
                openStdin, stdinOnce, env, cmd, image, volumes, workingDir, entrypoint, onBuild, labels, stopSignal,
                stopTimeout);
    }

    /** Read once, ignored: a JsonNode-typed field is how we see "present and not empty" for refused features. */
    static boolean isEmpty(JsonNode node) {
        return node == null || node.isNull() || node.isEmpty();
    }
}
