package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A create request's Config completed from the image's, by dockerd's rules (moby daemon/commit.go merge):
 * Env merged by key (the user's win), labels merged (the user's win), Cmd from the image only when the user
 * gave neither Cmd nor Entrypoint, Entrypoint from the image unless the user set one ({@code --entrypoint ""}
 * clears it and drops the image's Cmd), WorkingDir, User and StopSignal from the image when unset.
 */
public final class ConfigMerge {

    /** The merged config and what the container runs. */
    public record Merged(ContainerConfig config, String path, List<String> args) {}

    private ConfigMerge() {}

    public static Merged merge(ContainerConfig user, ImageConfig.RunConfig image, String defaultHostname) {
        List<String> env = mergeEnv(user.env(), image.env());
        Map<String, String> labels = new LinkedHashMap<>();
        if (image.labels() != null) {
            labels.putAll(image.labels());
        }
        labels.putAll(user.labels());
        List<String> entrypoint = user.entrypoint();
        List<String> cmd = user.cmd();
        if (entrypoint == null || entrypoint.isEmpty()) {
            if (cmd == null || cmd.isEmpty()) {
                cmd = image.cmd();
            }
            if (entrypoint == null) {
                entrypoint = image.entrypoint();
            }
        }
        // --entrypoint "" arrives as [""]: no entrypoint at all (dockerd then runs Cmd alone).
        if (entrypoint != null && entrypoint.size() == 1 && entrypoint.get(0).isEmpty()) {
            entrypoint = List.of();
        }
        List<String> command = new ArrayList<>();
        if (entrypoint != null) {
            command.addAll(entrypoint);
        }
        if (cmd != null) {
            command.addAll(cmd);
        }
        if (command.isEmpty()) {
            throw AgentException.invalidArgument("No command specified");
        }
        ContainerConfig merged = user.withMerged(
                user.hostname().isEmpty() ? defaultHostname : user.hostname(),
                user.user().isEmpty() && image.user() != null ? image.user() : user.user(),
                env, cmd, entrypoint == null || entrypoint.isEmpty() ? null : entrypoint,
                user.workingDir().isEmpty() && image.workingDir() != null ? image.workingDir() : user.workingDir(),
                labels,
                (user.stopSignal() == null || user.stopSignal().isEmpty()) ? image.stopSignal() : user.stopSignal(),
                user.exposedPorts() != null && !user.exposedPorts().isEmpty() ? user.exposedPorts()
                        : image.exposedPorts() == null ? null : new LinkedHashMap<>(image.exposedPorts()));
        return new Merged(merged, command.get(0), command.subList(1, command.size()));
    }

    /** The user's entries, then the image's whose key the user did not set. */
    static List<String> mergeEnv(List<String> user, List<String> image) {
        List<String> out = new ArrayList<>(user == null ? List.of() : user);
        if (image == null) {
            return out;
        }
        for (String entry : image) {
            String key = key(entry);
            if (out.stream().noneMatch(u -> key(u).equals(key))) {
                out.add(entry);
            }
        }
        return out;
    }

    static String key(String envEntry) {
        int eq = envEntry.indexOf('=');
        return eq < 0 ? envEntry : envEntry.substring(0, eq);
    }
}
