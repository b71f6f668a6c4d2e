package io.hawser.console.localagent;

import java.nio.file.Path;
import java.util.Arrays;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code hawser.local-agent.*}: the agent the console starts on its own machine.
 *
 * @param enabled {@code true}: start it (and say so when it cannot be); {@code false}: never; unset: start it when
 *                the console runs as root and {@link #jar} is set and exists ({@code ./hawser} sets it)
 * @param jar the agent's jar, {@code host-agent/target/hawser-agent.jar} in a checkout
 * @param cgroupParent the cgroup under which the agent makes its containers' cgroups
 * @param execRoot the agent's exec root; unset: {@code /run/hawser-local-<hash of the data dir>} (short, since unix
 *                 socket paths under it must stay under 108 bytes)
 */
@ConfigurationProperties(prefix = "hawser.local-agent")
public record LocalAgentProperties(
        Boolean enabled,
        Path jar,
        @DefaultValue("hawser") String cgroupParent,
        Path execRoot) {

    public LocalAgentProperties {
        if (cgroupParent == null || !cgroupParent.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")
                || Arrays.stream(cgroupParent.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new IllegalArgumentException("hawser.local-agent.cgroup-parent must be a cgroup path like hawser, got " + cgroupParent);
        }
    }
}
