package io.hawser.agent.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What this build of the agent is: read from {@code io/hawser/agent/build.properties}, which the
 * Maven build writes (version, UTC build time, git commit). Never guessed: a missing file is an error.
 *
 * @param gitCommit short commit id, empty when the build ran outside a git work tree
 */
public record BuildInfo(String version, String buildTime, String gitCommit) {

    static final String RESOURCE = "/io/hawser/agent/build.properties";

    public static BuildInfo load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw AgentException.system("build info " + RESOURCE + " is not on the classpath; build with Maven");
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new BuildInfo(required(p, "version"), required(p, "buildTime"), p.getProperty("gitCommit", "").trim());
        } catch (IOException e) {
            throw AgentException.system("read build info " + RESOURCE, e);
        }
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key, "").trim();
        if (value.isEmpty()) {
            throw AgentException.system("build info " + RESOURCE + " has no " + key);
        }
        return value;
    }
}
